import { connect as connectSocket } from 'node:net';
import type { Connection } from 'mysql2/promise';
import { IdempotencyCleanupJob } from '../src/idempotency/idempotency-cleanup.job';
import { requestHash } from '../src/idempotency/request-hash';
import { makeUser } from './support/factories';
import { asTokenUser, authHeader, bearerSync } from './support/auth';
import { startTestApp, TestApp, useTestApp } from './support/test-app';

const HEADER = 'Idempotency-Key';

describe('Idempotency-Key on balance charge (e2e)', () => {
  const t = useTestApp();
  let keySequence = 0;
  const newKey = () => `key-${++keySequence}-${Date.now()}`;

  const charge = (userId: number | string, body: unknown, key?: string) => {
    const call = t.http.post(`/api/v1/users/${userId}/balance/charge`).set(bearerSync(asTokenUser(userId)));
    return (key === undefined ? call : call.set(HEADER, key)).send(body as object);
  };
  const balanceOf = async (userId: number) => (await t.http.get(`/api/v1/users/${userId}/balance`).set(await authHeader(userId)).expect(200)).body.balance as number;
  const historyRows = async (userId: number) => (await t.query('SELECT id FROM balance_history WHERE user_id = ?', [userId])).length;
  // Arranged in SQL (one charge is capped at 1,000,000): the balance and its matching history row.
  const makeUserWithBalance = async (balance: number) => {
    const user = await makeUser(t.http);
    await t.query('UPDATE user_balances SET balance = ? WHERE user_id = ?', [balance, user.id]);
    await t.query("INSERT INTO balance_history (user_id, type, amount, balance_after) VALUES (?, 'CHARGE', ?, ?)", [user.id, balance, balance]);
    return user;
  };
  const storedKeys = async (userId: number) =>
    t.query<{ idempotency_key: string }>('SELECT idempotency_key FROM idempotency_keys WHERE user_id = ? ORDER BY idempotency_key', [userId]);

  it('replays the first response for the same key and body, charging once', async () => {
    const user = await makeUser(t.http);
    const key = newKey();

    const first = await charge(user.id, { amount: 3_000 }, key).expect(200);
    const again = await charge(user.id, { amount: 3_000 }, key).expect(200);

    expect(first.body).toEqual({ userId: user.id, balance: 3_000 });
    expect(again.text).toBe(first.text);
    expect(await balanceOf(user.id)).toBe(3_000);
    expect(await historyRows(user.id)).toBe(1);
    expect(await storedKeys(user.id)).toEqual([{ idempotency_key: key }]);
  });

  it('reads the same body in another key order or spacing as the same request', async () => {
    const user = await makeUser(t.http);
    const key = newKey();
    await charge(user.id, { amount: 1_500 }, key).expect(200, { userId: user.id, balance: 1_500 });

    await t.http
      .post(`/api/v1/users/${user.id}/balance/charge`)
      .set(await authHeader(user.id))
      .set(HEADER, key)
      .set('Content-Type', 'application/json')
      .send('{ "amount" :  1500 }')
      .expect(200, { userId: user.id, balance: 1_500 });
    expect(await balanceOf(user.id)).toBe(1_500);
  });

  it('replays a response that is no longer the current state', async () => {
    const user = await makeUser(t.http);
    const key = newKey();
    await charge(user.id, { amount: 1_000 }, key).expect(200, { userId: user.id, balance: 1_000 });
    await charge(user.id, { amount: 500 }).expect(200, { userId: user.id, balance: 1_500 });

    await charge(user.id, { amount: 1_000 }, key).expect(200, { userId: user.id, balance: 1_000 });
    expect(await balanceOf(user.id)).toBe(1_500);
  });

  it('charges exactly once for 20 simultaneous requests with one key', async () => {
    const user = await makeUser(t.http);
    const key = newKey();

    const responses = await Promise.all(Array.from({ length: 20 }, () => charge(user.id, { amount: 7_000 }, key)));

    const answered = responses.map((r) => (r.status === 200 ? r.text : `${r.status} ${r.body.code}`));
    for (const answer of answered) expect([JSON.stringify({ userId: user.id, balance: 7_000 }), '409 IDEMPOTENCY_KEY_IN_USE']).toContain(answer);
    expect(answered.filter((a) => a.startsWith('{')).length).toBeGreaterThanOrEqual(1);
    expect(await balanceOf(user.id)).toBe(7_000);
    expect(await historyRows(user.id)).toBe(1);
    expect(await storedKeys(user.id)).toHaveLength(1);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another body, changing nothing', async () => {
    const user = await makeUser(t.http);
    const key = newKey();
    await charge(user.id, { amount: 2_000 }, key).expect(200);

    const reused = await charge(user.id, { amount: 2_001 }, key).expect(422);

    expect(reused.body).toEqual({
      statusCode: 422,
      code: 'IDEMPOTENCY_KEY_REUSED',
      message: expect.stringContaining('Idempotency-Key'),
      requestId: expect.any(String),
    });
    expect(await balanceOf(user.id)).toBe(2_000);
    expect(await historyRows(user.id)).toBe(1);
  });

  it('scopes keys per user', async () => {
    const [alice, bob] = [await makeUser(t.http), await makeUser(t.http)];
    const key = newKey();

    await charge(alice.id, { amount: 1_000 }, key).expect(200, { userId: alice.id, balance: 1_000 });
    await charge(bob.id, { amount: 4_000 }, key).expect(200, { userId: bob.id, balance: 4_000 });
    await charge(alice.id, { amount: 1_000 }, key).expect(200, { userId: alice.id, balance: 1_000 });

    expect([await balanceOf(alice.id), await balanceOf(bob.id)]).toEqual([1_000, 4_000]);
  });

  it('compares keys case-sensitively', async () => {
    const user = await makeUser(t.http);
    const key = newKey();
    await charge(user.id, { amount: 100 }, `${key}-a`).expect(200, { userId: user.id, balance: 100 });
    await charge(user.id, { amount: 100 }, `${key}-A`).expect(200, { userId: user.id, balance: 200 });
  });

  it('without the header, every request is a new charge and nothing is stored', async () => {
    const user = await makeUser(t.http);
    await charge(user.id, { amount: 1_000 }).expect(200, { userId: user.id, balance: 1_000 });
    await charge(user.id, { amount: 1_000 }).expect(200, { userId: user.id, balance: 2_000 });
    expect(await storedKeys(user.id)).toEqual([]);
  });

  it('stores a refusal the charge produced and replays it, even once the charge would succeed', async () => {
    const user = await makeUserWithBalance(9_999_000);
    const key = newKey();

    const refused = await charge(user.id, { amount: 2_000 }, key).expect(409);
    expect(refused.body).toMatchObject({ code: 'BALANCE_LIMIT_EXCEEDED' });
    expect(await storedKeys(user.id)).toEqual([{ idempotency_key: key }]);

    // The user spends some balance (a payment, arranged in SQL), then retries with the same key.
    await t.query('UPDATE user_balances SET balance = 9000000 WHERE user_id = ?', [user.id]);
    await t.query("INSERT INTO balance_history (user_id, type, amount, balance_after) VALUES (?, 'PAYMENT', 999000, 9000000)", [user.id]);
    const replayed = await charge(user.id, { amount: 2_000 }, key).expect(409);
    expect({ ...replayed.body, requestId: undefined }).toEqual({ ...refused.body, requestId: undefined });
    expect(await balanceOf(user.id)).toBe(9_000_000);
    expect(await historyRows(user.id)).toBe(2);
    // The same key with another body is still another request.
    await charge(user.id, { amount: 3_000 }, key).expect(422);
  });

  it('stores the refusal for an unknown user', async () => {
    const key = newKey();
    const refused = await charge(999_999, { amount: 1_000 }, key).expect(404);
    expect(refused.body.code).toBe('USER_NOT_FOUND');
    expect(await t.query('SELECT refusal_status FROM idempotency_keys WHERE user_id = 999999')).toEqual([{ refusal_status: 404 }]);
    const replayed = await charge(999_999, { amount: 1_000 }, key).expect(404);
    expect(replayed.body.message).toBe(refused.body.message);
  });

  it('answers 20 simultaneous refused requests with one key with the one stored refusal', async () => {
    const user = await makeUserWithBalance(9_999_000);
    const key = newKey();

    const responses = await Promise.all(Array.from({ length: 20 }, () => charge(user.id, { amount: 2_000 }, key)));

    const answers = new Set(responses.map((r) => `${r.status} ${r.body.code} ${r.body.message}`));
    expect([...answers]).toEqual([`409 BALANCE_LIMIT_EXCEEDED ${responses[0].body.message}`]);
    expect(await storedKeys(user.id)).toEqual([{ idempotency_key: key }]);
    expect(await balanceOf(user.id)).toBe(9_999_000);
  });

  it('stores nothing for a request that fails validation', async () => {
    const user = await makeUser(t.http);
    const key = newKey();

    await charge(user.id, { amount: 0 }, key).expect(400);
    await charge(user.id, { amount: 1_000, bonus: 1 }, key).expect(400);
    await charge('abc', { amount: 1_000 }, key).expect(400);
    expect(await storedKeys(user.id)).toEqual([]);

    await charge(user.id, { amount: 1_000 }, key).expect(200, { userId: user.id, balance: 1_000 });
  });

  describe('an invalid key → 400 VALIDATION_FAILED naming the header, nothing stored or charged', () => {
    let userId: number;

    beforeAll(async () => {
      userId = (await makeUser(t.http)).id;
    });

    afterEach(async () => {
      expect(await balanceOf(userId)).toBe(0);
      expect(await storedKeys(userId)).toEqual([]);
    });

    it.each([
      ['empty', ''],
      ['256 characters', 'k'.repeat(256)],
      ['non-ASCII (latin-1)', 'clé'],
      ['non-ASCII (UTF-8 bytes)', Buffer.from('멱등키').toString('latin1')],
      ['a tab inside', 'a\tb'],
    ])('%s', async (_case, key) => {
      const response = await charge(userId, { amount: 1_000 }, key).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', message: expect.stringContaining(HEADER) });
    });

    it('the header sent twice', async () => {
      // superagent sends an array as repeated header lines (its types only admit that for Cookie).
      const twice = ['a', 'b'] as unknown as string;
      const response = await t.http.post(`/api/v1/users/${userId}/balance/charge`).set(await authHeader(userId)).set(HEADER, twice).send({ amount: 1_000 }).expect(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining(HEADER) });
    });

    it('accepts the longest key, 255 characters', async () => {
      const key = `${newKey()}-`.padEnd(255, 'k');
      await charge(userId, { amount: 1_000 }, key).expect(200);
      // Undo, so the shared checks after each case still hold.
      await t.query('UPDATE user_balances SET balance = 0 WHERE user_id = ?', [userId]);
      await t.query('DELETE FROM balance_history WHERE user_id = ?', [userId]);
      await t.query('DELETE FROM idempotency_keys WHERE user_id = ?', [userId]);
    });

    // Node's HTTP parser refuses other control characters (and DEL) itself, before the app: a bare
    // 400 Bad Request without the contract's body. A client library cannot even send them.
    it.each([
      ['a control character', 'a\x01b'],
      ['DEL', 'a\x7fb'],
    ])('%s (refused by the HTTP parser)', async (_case, key) => {
      const { port } = t.app.getHttpServer().address() as { port: number };
      const body = '{"amount":1000}';
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connectSocket(port, '127.0.0.1', () =>
          socket.write(
            `POST /api/v1/users/${userId}/balance/charge HTTP/1.1\r\nHost: localhost\r\n${HEADER}: ${key}\r\n` +
              `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
            'latin1',
          ),
        );
        let received = '';
        socket.on('data', (chunk) => (received += chunk.toString('latin1')));
        socket.on('end', () => resolve(received));
        socket.on('error', reject);
      });
      expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    });
  });

  describe('a duplicate arriving while the first request still holds the key', () => {
    let holder: Connection;

    beforeEach(async () => {
      holder = await t.openSession();
    });

    afterEach(async () => {
      await holder.end();
    });

    it('waits for it and returns its response, without doing the work', async () => {
      const user = await makeUser(t.http);
      const key = newKey();
      // The "first request": it has claimed the key in an open transaction and is still working.
      await holder.query('START TRANSACTION');
      await holder.query(
        'INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, expires_at) VALUES (?, ?, ?, NOW(3) + INTERVAL 1 DAY)',
        [user.id, key, requestHash('chargeBalance', { userId: user.id, amount: 5_000 })],
      );

      const duplicate = charge(user.id, { amount: 5_000 }, key).then((r) => r);
      await waitForKeyInsert(t);
      const firstResponse = JSON.stringify({ userId: user.id, balance: 5_000 });
      await holder.query('UPDATE idempotency_keys SET response_body = ? WHERE user_id = ? AND idempotency_key = ?', [firstResponse, user.id, key]);
      await holder.query('COMMIT');

      const response = await duplicate;
      expect(response.status).toBe(200);
      expect(response.text).toBe(firstResponse);
      // The duplicate did not charge: only the (simulated) first request's effects would count.
      expect(await balanceOf(user.id)).toBe(0);
      expect(await historyRows(user.id)).toBe(0);
    });

    it('runs the work itself when the first request rolls back', async () => {
      const user = await makeUser(t.http);
      const key = newKey();
      await holder.query('START TRANSACTION');
      await holder.query(
        'INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, expires_at) VALUES (?, ?, ?, NOW(3) + INTERVAL 1 DAY)',
        [user.id, key, requestHash('chargeBalance', { userId: user.id, amount: 5_000 })],
      );

      const duplicate = charge(user.id, { amount: 5_000 }, key).then((r) => r);
      await waitForKeyInsert(t);
      await holder.query('ROLLBACK');

      const response = await duplicate;
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ userId: user.id, balance: 5_000 });
      expect(await historyRows(user.id)).toBe(1);
    });
  });

  it('records the key as the first statement of the charge transaction, then a savepoint, plus one update', async () => {
    const user = await makeUser(t.http);
    const statements: string[] = [];
    const spy = jest.spyOn(t.dataSource.logger, 'logQuery').mockImplementation((query) => void statements.push(query.split(' ')[0]));
    try {
      await charge(user.id, { amount: 1_000 }).expect(200);
      const plain = statements.splice(0);
      await charge(user.id, { amount: 1_000 }, newKey()).expect(200);
      const keyed = statements.splice(0);

      expect(plain).toEqual(['START', 'UPDATE', 'INSERT', 'COMMIT']);
      // One read before the transaction (finished retries are answered from it), the claim first, a
      // savepoint (a refusal rolls back to it and is stored with the key), the response last.
      expect(keyed).toEqual(['SELECT', 'START', 'INSERT', 'SAVEPOINT', 'UPDATE', 'INSERT', 'UPDATE', 'COMMIT']);
    } finally {
      spy.mockRestore();
    }
  });

  it('documents the header and its 409/422 answers in OpenAPI', async () => {
    const document = (await t.http.get('/docs-json').expect(200)).body;
    const operation = document.paths['/api/v1/users/{userId}/balance/charge'].post;

    expect(operation.parameters).toContainEqual(
      expect.objectContaining({ name: HEADER, in: 'header', required: false, schema: expect.objectContaining({ maxLength: 255 }) }),
    );
    expect(operation.responses['409'].description).toEqual(expect.stringContaining('IDEMPOTENCY_KEY_IN_USE'));
    expect(operation.responses['409'].description).toEqual(expect.stringContaining('BALANCE_LIMIT_EXCEEDED'));
    expect(operation.responses['422'].description).toEqual(expect.stringContaining('IDEMPOTENCY_KEY_REUSED'));
  });

  describe('clean-up job', () => {
    it('deletes expired keys in batches and keeps the others', async () => {
      const user = await makeUser(t.http);
      const hash = 'h'.repeat(64);
      const rows = Array.from({ length: 2_500 }, (_, i) => [user.id, `expired-${i}`, hash, '{}']);
      await t.query(
        `INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, response_body, expires_at)
         VALUES ${rows.map(() => '(?, ?, ?, ?, NOW(3) - INTERVAL 1 SECOND)').join(', ')}`,
        rows.flat(),
      );
      const kept = newKey();
      await charge(user.id, { amount: 1_000 }, kept).expect(200);

      const deleted = await t.app.get(IdempotencyCleanupJob).deleteExpired();

      expect(deleted).toBe(2_500);
      expect(await storedKeys(user.id)).toEqual([{ idempotency_key: kept }]);
      // The kept key lives at least 24 hours.
      const [row] = await t.query<{ hours: number }>(
        'SELECT TIMESTAMPDIFF(MINUTE, created_at, expires_at) / 60 AS hours FROM idempotency_keys WHERE user_id = ?',
        [user.id],
      );
      expect(Number(row.hours)).toBeGreaterThanOrEqual(24);
      expect(await t.app.get(IdempotencyCleanupJob).deleteExpired()).toBe(0);
    });
  });
});

describe('Idempotency-Key: the first request outlasting the wait (e2e)', () => {
  let t: TestApp;
  let holder: Connection;

  beforeAll(async () => {
    // One pooled connection, so the shorter lock wait set below applies to every request of this app.
    t = await startTestApp({ DB_POOL_SIZE: '1' });
    await t.query('SET SESSION innodb_lock_wait_timeout = 1');
    holder = await t.openSession();
  });

  afterAll(async () => {
    await holder.end();
    await t.close();
  });

  it('answers 409 IDEMPOTENCY_KEY_IN_USE, then runs once the key is free', async () => {
    const user = await makeUser(t.http);
    const key = 'slow-first-request';
    await holder.query('START TRANSACTION');
    await holder.query(
      'INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, expires_at) VALUES (?, ?, ?, NOW(3) + INTERVAL 1 DAY)',
      [user.id, key, requestHash('chargeBalance', { userId: user.id, amount: 1_000 })],
    );

    const started = Date.now();
    const busy = await t.http.post(`/api/v1/users/${user.id}/balance/charge`).set(await authHeader(user.id)).set(HEADER, key).send({ amount: 1_000 }).expect(409);
    expect(busy.body).toMatchObject({ statusCode: 409, code: 'IDEMPOTENCY_KEY_IN_USE' });
    // Answered after one lock wait, not retried by the transaction runner.
    expect(Date.now() - started).toBeLessThan(3_500);

    await holder.query('ROLLBACK');
    await t.http.post(`/api/v1/users/${user.id}/balance/charge`).set(await authHeader(user.id)).set(HEADER, key).send({ amount: 1_000 }).expect(200, { userId: user.id, balance: 1_000 });
    await t.http.post(`/api/v1/users/${user.id}/balance/charge`).set(await authHeader(user.id)).set(HEADER, key).send({ amount: 1_000 }).expect(200, { userId: user.id, balance: 1_000 });
    await t.http.get(`/api/v1/users/${user.id}/balance`).set(await authHeader(user.id)).expect(200, { userId: user.id, balance: 1_000 });
  });
});

/** Resolves once a request of this suite's app is stuck inserting an idempotency key (waiting for its lock). */
async function waitForKeyInsert(t: TestApp): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const [row] = await t.query<{ n: number }>(
      "SELECT COUNT(*) AS n FROM information_schema.processlist WHERE db = ? AND info LIKE 'INSERT INTO idempotency_keys %'",
      [t.config.database.name],
    );
    if (Number(row.n) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('no request started waiting for the key');
}
