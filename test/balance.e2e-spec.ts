import { makeUser } from './support/factories';
import { asTokenUser, authHeader, bearerSync } from './support/auth';
import { useTestApp } from './support/test-app';

describe('balance (e2e)', () => {
  const t = useTestApp();

  const charge = (userId: number | string, body: unknown) => t.http.post(`/api/v1/users/${userId}/balance/charge`).set(bearerSync(asTokenUser(userId))).send(body as object);

  it('charges and returns the balance after the charge', async () => {
    const user = await makeUser(t.http);
    await charge(user.id, { amount: 15_000 }).expect(200, { userId: user.id, balance: 15_000 });
    await charge(user.id, { amount: 10_000 }).expect(200, { userId: user.id, balance: 25_000 });
    await t.http.get(`/api/v1/users/${user.id}/balance`).set(await authHeader(user.id)).expect(200, { userId: user.id, balance: 25_000 });
  });

  it('shows 0 for a user who never charged', async () => {
    const user = await makeUser(t.http);
    await t.http.get(`/api/v1/users/${user.id}/balance`).set(await authHeader(user.id)).expect(200, { userId: user.id, balance: 0 });
  });

  it('answers USER_NOT_FOUND for an unknown user and changes nothing', async () => {
    const before = await t.query('SELECT COUNT(*) AS n FROM balance_history');
    const response = await charge(999_999, { amount: 1_000 }).expect(404);
    expect(response.body).toMatchObject({ statusCode: 404, code: 'USER_NOT_FOUND' });
    await t.http.get('/api/v1/users/999999/balance').set(await authHeader(999999)).expect(404);
    await t.http.get('/api/v1/users/999999/balance/history').set(await authHeader(999999)).expect(404);
    expect(await t.query('SELECT COUNT(*) AS n FROM balance_history')).toEqual(before);
  });

  it('caps the balance at 10,000,000 and leaves it unchanged when refused', async () => {
    const user = await makeUser(t.http);
    for (let i = 0; i < 9; i++) await charge(user.id, { amount: 1_000_000 }).expect(200);
    await charge(user.id, { amount: 999_999 }).expect(200, { userId: user.id, balance: 9_999_999 });
    const refused = await charge(user.id, { amount: 2 }).expect(409);
    expect(refused.body).toMatchObject({ statusCode: 409, code: 'BALANCE_LIMIT_EXCEEDED' });
    await charge(user.id, { amount: 1 }).expect(200, { userId: user.id, balance: 10_000_000 });
    const history = await t.http.get(`/api/v1/users/${user.id}/balance/history?limit=100`).set(await authHeader(user.id)).expect(200);
    expect(history.body.items).toHaveLength(11);
  });

  it('keeps one history row per change, newest first, paged by cursor', async () => {
    const user = await makeUser(t.http);
    for (const amount of [100, 200, 300, 400, 500]) await charge(user.id, { amount }).expect(200);

    const first = await t.http.get(`/api/v1/users/${user.id}/balance/history?limit=2`).set(await authHeader(user.id)).expect(200);
    expect(first.body.items.map((item: { amount: number }) => item.amount)).toEqual([500, 400]);
    expect(first.body.items[0]).toEqual({
      id: expect.any(Number),
      type: 'CHARGE',
      amount: 500,
      balanceAfter: 1_500,
      orderId: null,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(first.body.nextCursor).toEqual(expect.any(String));

    const second = await t.http.get(`/api/v1/users/${user.id}/balance/history?limit=2&cursor=${first.body.nextCursor}`).set(await authHeader(user.id)).expect(200);
    expect(second.body.items.map((item: { amount: number }) => item.amount)).toEqual([300, 200]);
    const last = await t.http.get(`/api/v1/users/${user.id}/balance/history?limit=2&cursor=${second.body.nextCursor}`).set(await authHeader(user.id)).expect(200);
    expect(last.body).toEqual({ items: [expect.objectContaining({ amount: 100, balanceAfter: 100 })], nextCursor: null });

    const defaults = await t.http.get(`/api/v1/users/${user.id}/balance/history`).set(await authHeader(user.id)).expect(200);
    expect(defaults.body.items).toHaveLength(5);
    expect(defaults.body.nextCursor).toBeNull();
  });

  it('applies 50 simultaneous charges to one user, losing none', async () => {
    const user = await makeUser(t.http);
    const responses = await Promise.all(Array.from({ length: 50 }, () => charge(user.id, { amount: 1_000 })));

    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    await t.http.get(`/api/v1/users/${user.id}/balance`).set(await authHeader(user.id)).expect(200, { userId: user.id, balance: 50_000 });
    const rows = await t.query<{ balance_after: number }>(
      'SELECT balance_after FROM balance_history WHERE user_id = ? ORDER BY id',
      [user.id],
    );
    expect(rows.map((r) => r.balance_after)).toEqual(Array.from({ length: 50 }, (_, i) => (i + 1) * 1_000));
    // Every response saw a distinct balance: each charge was applied on top of the previous one.
    expect(new Set(responses.map((r) => r.body.balance)).size).toBe(50);
  });

  describe('bad input → 400 VALIDATION_FAILED naming the field, nothing changed', () => {
    let userId: number;

    beforeAll(async () => {
      userId = (await makeUser(t.http, { balance: 5_000 })).id;
    });

    afterEach(async () => {
      await t.http.get(`/api/v1/users/${userId}/balance`).set(await authHeader(userId)).expect(200, { userId, balance: 5_000 });
    });

    it.each([
      ['missing amount', {}, 'amount'],
      ['amount as a string', { amount: '1000' }, 'amount'],
      ['fractional amount', { amount: 10.5 }, 'amount'],
      ['zero amount', { amount: 0 }, 'amount'],
      ['negative amount', { amount: -1 }, 'amount'],
      ['negative zero', { amount: -0 }, 'amount'],
      ['amount above 1,000,000', { amount: 1_000_001 }, 'amount'],
      ['huge amount', { amount: 2 ** 53 + 1 }, 'amount'],
      ['null amount', { amount: null }, 'amount'],
      ['unknown field', { amount: 1_000, bonus: 1 }, 'bonus'],
    ])('%s', async (_case, body, field) => {
      const response = await charge(userId, body).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(response.body.message).toContain(field);
    });

    it('a body that is not JSON', async () => {
      const response = await t.http
        .post(`/api/v1/users/${userId}/balance/charge`)
        .set(await authHeader(userId))
        .set('Content-Type', 'application/json')
        .send('{"amount": 1000')
        .expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', message: expect.stringContaining('JSON') });
    });

    it.each(['abc', '0', '-1', '1.5', '1e3', '99999999999999999999'])('a path userId of %s', async (id) => {
      const response = await charge(id, { amount: 1_000 }).expect(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('userId') });
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=2.5', 'limit'],
      ['cursor=abc', 'cursor'],
      ['cursor=-5', 'cursor'],
      ['other=1', 'other'],
    ])('history query %s', async (query, field) => {
      const response = await t.http.get(`/api/v1/users/${userId}/balance/history?${query}`).set(await authHeader(userId)).expect(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining(field) });
    });
  });
});
