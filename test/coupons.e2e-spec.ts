import { makeCoupon, makeUser } from './support/factories';
import { authHeader, bearerForBody } from './support/auth';
import { ADMIN_KEY, useTestApp } from './support/test-app';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const DAY_MS = 86_400_000;

describe('coupons (e2e)', () => {
  const t = useTestApp();

  const createCoupon = (body: unknown, key: string | null = ADMIN_KEY) => {
    const post = t.http.post('/api/v1/coupons');
    return (key === null ? post : post.set('X-Admin-Key', key)).send(body as object);
  };
  const issue = (couponId: number | string, body: unknown) => t.http.post(`/api/v1/coupons/${couponId}/issue`).set(bearerForBody(body)).send(body as object);
  const counts = async () => {
    const [row] = await t.query<{ coupons: number; issued: number; held: number }>(
      'SELECT (SELECT COUNT(*) FROM coupons) AS coupons, (SELECT COALESCE(SUM(issued_quantity), 0) FROM coupons) AS issued, (SELECT COUNT(*) FROM user_coupons) AS held',
    );
    return { coupons: Number(row.coupons), issued: Number(row.issued), held: Number(row.held) };
  };

  describe('admin: create and read a coupon', () => {
    it('creates a coupon and reads it back with issued and remaining quantities', async () => {
      const body = { name: 'Welcome 5,000 won off', discountType: 'FIXED', discountValue: 5_000, totalQuantity: 100, validDays: 30 };
      const created = await createCoupon(body).expect(201);
      expect(created.body).toEqual({ id: expect.any(Number), ...body, issuedQuantity: 0 });
      await t.http.get(`/api/v1/coupons/${created.body.id}`).expect(200, { ...created.body, remainingQuantity: 100 });
    });

    it.each([
      ['FIXED 1 won', { discountType: 'FIXED', discountValue: 1 }],
      ['FIXED 100,000,000 won', { discountType: 'FIXED', discountValue: 100_000_000 }],
      ['PERCENT 1', { discountType: 'PERCENT', discountValue: 1 }],
      ['PERCENT 100', { discountType: 'PERCENT', discountValue: 100 }],
      ['quantity 1, 1 day', { totalQuantity: 1, validDays: 1 }],
      ['quantity 10,000,000, 365 days', { totalQuantity: 10_000_000, validDays: 365 }],
      ['a name of 100 characters', { name: 'x'.repeat(100) }],
    ])('accepts the bound %s', async (_case, overrides) => {
      const body = { name: 'bound', discountType: 'FIXED', discountValue: 1_000, totalQuantity: 10, validDays: 7, ...overrides };
      const created = await createCoupon(body).expect(201);
      expect(created.body).toEqual({ id: expect.any(Number), ...body, issuedQuantity: 0 });
    });

    it('stores the name exactly as sent, surrounding spaces included', async () => {
      const created = await createCoupon({ name: '  spring sale  ', discountType: 'PERCENT', discountValue: 10, totalQuantity: 5, validDays: 7 }).expect(201);
      expect(created.body.name).toBe('  spring sale  ');
      await t.http.get(`/api/v1/coupons/${created.body.id}`).expect(200).expect((r) => expect(r.body.name).toBe('  spring sale  '));
    });

    it('answers COUPON_NOT_FOUND for an unknown coupon', async () => {
      const response = await t.http.get('/api/v1/coupons/987654').expect(404);
      expect(response.body).toMatchObject({ statusCode: 404, code: 'COUPON_NOT_FOUND' });
    });

    it.each([
      ['missing', null],
      ['wrong', 'not-the-admin-key'],
    ])('%s admin key → 401 UNAUTHORIZED, nothing created', async (_case, key) => {
      const before = await counts();
      const response = await createCoupon({ name: 'x', discountType: 'FIXED', discountValue: 1, totalQuantity: 1, validDays: 1 }, key).expect(401);
      expect(response.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
      expect(await counts()).toEqual(before);
    });
  });

  describe('issuing', () => {
    it('issues a coupon valid for validDays and shows it in the user list', async () => {
      const user = await makeUser(t.http);
      const coupon = await makeCoupon(t.http, { name: '10% off', discountType: 'PERCENT', discountValue: 10, totalQuantity: 3, validDays: 7 });
      const before = Date.now();

      const issued = await issue(coupon.id, { userId: user.id }).expect(201);

      expect(issued.body).toEqual({
        userCouponId: expect.any(Number),
        couponId: coupon.id,
        userId: user.id,
        name: '10% off',
        discountType: 'PERCENT',
        discountValue: 10,
        status: 'AVAILABLE',
        issuedAt: expect.stringMatching(ISO),
        expiresAt: expect.stringMatching(ISO),
      });
      const issuedAt = Date.parse(issued.body.issuedAt);
      expect(issuedAt).toBeGreaterThanOrEqual(before);
      expect(issuedAt).toBeLessThanOrEqual(Date.now());
      expect(Date.parse(issued.body.expiresAt) - issuedAt).toBe(7 * DAY_MS);

      await t.http.get(`/api/v1/coupons/${coupon.id}`).expect(200, { ...coupon, issuedQuantity: 1, remainingQuantity: 2 });
      await t.http.get(`/api/v1/users/${user.id}/coupons`).set(await authHeader(user.id)).expect(200, {
        items: [
          {
            userCouponId: issued.body.userCouponId,
            couponId: coupon.id,
            name: '10% off',
            discountType: 'PERCENT',
            discountValue: 10,
            status: 'AVAILABLE',
            issuedAt: issued.body.issuedAt,
            expiresAt: issued.body.expiresAt,
            usedAt: null,
          },
        ],
      });
    });

    it('answers COUPON_ALREADY_ISSUED to a second request of the same user, changing nothing', async () => {
      const user = await makeUser(t.http);
      const coupon = await makeCoupon(t.http, { totalQuantity: 5 });
      await issue(coupon.id, { userId: user.id }).expect(201);
      const before = await counts();

      const again = await issue(coupon.id, { userId: user.id }).expect(409);

      expect(again.body).toMatchObject({ statusCode: 409, code: 'COUPON_ALREADY_ISSUED' });
      expect(await counts()).toEqual(before);
    });

    it('answers COUPON_SOLD_OUT once every unit is issued, changing nothing', async () => {
      const [first, second] = [await makeUser(t.http), await makeUser(t.http)];
      const coupon = await makeCoupon(t.http, { totalQuantity: 1 });
      await issue(coupon.id, { userId: first.id }).expect(201);
      const before = await counts();

      const late = await issue(coupon.id, { userId: second.id }).expect(409);

      expect(late.body).toMatchObject({ statusCode: 409, code: 'COUPON_SOLD_OUT' });
      expect(await counts()).toEqual(before);
      await t.http.get(`/api/v1/coupons/${coupon.id}`).expect(200, { ...coupon, issuedQuantity: 1, remainingQuantity: 0 });
    });

    it('answers COUPON_NOT_FOUND and USER_NOT_FOUND for unknown ids, changing nothing', async () => {
      const user = await makeUser(t.http);
      const coupon = await makeCoupon(t.http);
      const before = await counts();

      const noCoupon = await issue(987_654, { userId: user.id }).expect(404);
      expect(noCoupon.body).toMatchObject({ statusCode: 404, code: 'COUPON_NOT_FOUND' });
      const noUser = await issue(coupon.id, { userId: 987_654 }).expect(404);
      expect(noUser.body).toMatchObject({ statusCode: 404, code: 'USER_NOT_FOUND' });
      const neither = await issue(987_654, { userId: 987_654 }).expect(404);
      expect(neither.body).toMatchObject({ code: 'COUPON_NOT_FOUND' });

      expect(await counts()).toEqual(before);
    });
  });

  describe('concurrency', () => {
    it('200 users rushing a 20-unit coupon: exactly 20 issued, 180 sold out', async () => {
      const users = [];
      for (let i = 0; i < 200; i++) users.push(await makeUser(t.http));
      const coupon = await makeCoupon(t.http, { totalQuantity: 20 });

      const responses = await Promise.all(users.map((user) => issue(coupon.id, { userId: user.id })));

      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(20);
      expect(statuses.filter((s) => s === 409)).toHaveLength(180);
      expect(responses.filter((r) => r.status === 409).every((r) => r.body.code === 'COUPON_SOLD_OUT')).toBe(true);
      await t.http.get(`/api/v1/coupons/${coupon.id}`).expect(200, { ...coupon, issuedQuantity: 20, remainingQuantity: 0 });
      const rows = await t.query<{ user_id: number }>('SELECT user_id FROM user_coupons WHERE coupon_id = ?', [coupon.id]);
      expect(rows).toHaveLength(20);
      const winners = responses.filter((r) => r.status === 201).map((r) => r.body.userId);
      expect(rows.map((r) => Number(r.user_id)).sort((a, b) => a - b)).toEqual(winners.sort((a, b) => a - b));
    });

    it('one user firing 20 requests at once gets exactly one coupon', async () => {
      const user = await makeUser(t.http);
      const coupon = await makeCoupon(t.http, { totalQuantity: 100 });

      const responses = await Promise.all(Array.from({ length: 20 }, () => issue(coupon.id, { userId: user.id })));

      expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
      const refused = responses.filter((r) => r.status !== 201);
      expect(refused.map((r) => [r.status, r.body.code])).toEqual(Array(19).fill([409, 'COUPON_ALREADY_ISSUED']));
      await t.http.get(`/api/v1/coupons/${coupon.id}`).expect(200, { ...coupon, issuedQuantity: 1, remainingQuantity: 99 });
      expect(await t.query('SELECT id FROM user_coupons WHERE coupon_id = ?', [coupon.id])).toHaveLength(1);
    });
  });

  describe("a user's coupons", () => {
    it('lists newest first, with EXPIRED and USED derived from the stored row', async () => {
      const user = await makeUser(t.http);
      const [expiring, used, fresh] = [await makeCoupon(t.http), await makeCoupon(t.http), await makeCoupon(t.http)];
      const expired = (await issue(expiring.id, { userId: user.id }).expect(201)).body;
      const spent = (await issue(used.id, { userId: user.id }).expect(201)).body;
      const available = (await issue(fresh.id, { userId: user.id }).expect(201)).body;
      await t.query('UPDATE user_coupons SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [expired.userCouponId]);
      // A used coupon stays USED even after its expiry passes.
      await t.query("UPDATE user_coupons SET status = 'USED', used_at = '2026-11-20 09:30:00.123', order_id = 77, expires_at = NOW(3) - INTERVAL 1 DAY WHERE id = ?", [
        spent.userCouponId,
      ]);

      const list = await t.http.get(`/api/v1/users/${user.id}/coupons`).set(await authHeader(user.id)).expect(200);

      expect(list.body.items.map((item: { userCouponId: number; status: string }) => [item.userCouponId, item.status])).toEqual([
        [available.userCouponId, 'AVAILABLE'],
        [spent.userCouponId, 'USED'],
        [expired.userCouponId, 'EXPIRED'],
      ]);
      expect(list.body.items[1]).toMatchObject({ usedAt: '2026-11-20T09:30:00.123Z', expiresAt: expect.stringMatching(ISO) });
      expect(list.body.items[2]).toMatchObject({ usedAt: null, couponId: expiring.id, name: expiring.name, discountValue: expiring.discountValue });
    });

    it('is an empty list for a user without coupons', async () => {
      const user = await makeUser(t.http);
      await t.http.get(`/api/v1/users/${user.id}/coupons`).set(await authHeader(user.id)).expect(200, { items: [] });
    });

    it('answers USER_NOT_FOUND for an unknown user', async () => {
      const response = await t.http.get('/api/v1/users/987654/coupons').set(await authHeader(987654)).expect(404);
      expect(response.body).toMatchObject({ statusCode: 404, code: 'USER_NOT_FOUND' });
    });
  });

  describe('bad input → 400 VALIDATION_FAILED naming the field, nothing changed', () => {
    let userId: number;
    let couponId: number;
    let before: unknown;

    beforeAll(async () => {
      userId = (await makeUser(t.http)).id;
      couponId = (await makeCoupon(t.http)).id;
    });

    beforeEach(async () => {
      before = await counts();
    });

    afterEach(async () => {
      expect(await counts()).toEqual(before);
    });

    const valid = { name: 'x', discountType: 'FIXED', discountValue: 1_000, totalQuantity: 10, validDays: 7 };
    it.each([
      ['missing name', { ...valid, name: undefined }, 'name'],
      ['blank name', { ...valid, name: '   ' }, 'name'],
      ['name too long', { ...valid, name: 'x'.repeat(101) }, 'name'],
      ['name not a string', { ...valid, name: 42 }, 'name'],
      ['missing discountType', { ...valid, discountType: undefined }, 'discountType'],
      ['unknown discountType', { ...valid, discountType: 'BOGO' }, 'discountType'],
      ['lower-case discountType', { ...valid, discountType: 'fixed' }, 'discountType'],
      ['FIXED 0', { ...valid, discountValue: 0 }, 'discountValue'],
      ['FIXED negative', { ...valid, discountValue: -5_000 }, 'discountValue'],
      ['FIXED above 100,000,000', { ...valid, discountValue: 100_000_001 }, 'discountValue'],
      ['PERCENT 0', { ...valid, discountType: 'PERCENT', discountValue: 0 }, 'discountValue'],
      ['PERCENT 101', { ...valid, discountType: 'PERCENT', discountValue: 101 }, 'discountValue'],
      ['PERCENT fractional', { ...valid, discountType: 'PERCENT', discountValue: 12.5 }, 'discountValue'],
      ['discountValue as a string', { ...valid, discountValue: '1000' }, 'discountValue'],
      ['missing discountValue', { ...valid, discountValue: undefined }, 'discountValue'],
      ['totalQuantity 0', { ...valid, totalQuantity: 0 }, 'totalQuantity'],
      ['totalQuantity above 10,000,000', { ...valid, totalQuantity: 10_000_001 }, 'totalQuantity'],
      ['totalQuantity fractional', { ...valid, totalQuantity: 1.5 }, 'totalQuantity'],
      ['missing totalQuantity', { ...valid, totalQuantity: undefined }, 'totalQuantity'],
      ['validDays 0', { ...valid, validDays: 0 }, 'validDays'],
      ['validDays 366', { ...valid, validDays: 366 }, 'validDays'],
      ['validDays null', { ...valid, validDays: null }, 'validDays'],
      ['unknown field', { ...valid, stackable: true }, 'stackable'],
    ])('create: %s', async (_case, body, field) => {
      const response = await createCoupon(body).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', message: expect.stringContaining(field) });
    });

    it.each([
      ['missing userId', {}, 'userId'],
      ['userId as a string', { userId: '1' }, 'userId'],
      ['userId 0', { userId: 0 }, 'userId'],
      ['negative userId', { userId: -1 }, 'userId'],
      ['fractional userId', { userId: 1.5 }, 'userId'],
      ['null userId', { userId: null }, 'userId'],
      ['userId beyond 2^53', { userId: 2 ** 53 + 2 }, 'userId'],
      ['unknown field', { userId: 1, couponCode: 'X' }, 'couponCode'],
    ])('issue: %s', async (_case, body, field) => {
      const response = await issue(couponId, body).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', message: expect.stringContaining(field) });
    });

    it('issue: a body that is not JSON', async () => {
      const response = await t.http.post(`/api/v1/coupons/${couponId}/issue`).set(await authHeader(1)).set('Content-Type', 'application/json').send('{"userId": ').expect(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('JSON') });
    });

    it.each(['abc', '0', '-1', '1.5', '1e3', '99999999999999999999'])('a path couponId of %s', async (id) => {
      for (const response of [await issue(id, { userId }).expect(400), await t.http.get(`/api/v1/coupons/${id}`).expect(400)]) {
        expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('couponId') });
      }
    });

    it.each(['abc', '0', '-1', '1.5'])('a path userId of %s', async (id) => {
      const response = await t.http.get(`/api/v1/users/${id}/coupons`).set(await authHeader(1)).expect(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('userId') });
    });
  });
});
