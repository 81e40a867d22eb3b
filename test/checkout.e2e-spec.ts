import { makeCoupon, makeProduct, makeUser } from './support/factories';
import { authHeader, bearerForBody, bearerSync } from './support/auth';
import { ADMIN_KEY, useMockDataPlatform, useTestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

/** Order → payment → data platform, with coupons and Idempotency-Key, end to end. */
describe('checkout (e2e)', () => {
  const platform = useMockDataPlatform();
  const t = useTestApp(() => ({
    DATA_PLATFORM_URL: platform.url,
    OUTBOX_POLL_INTERVAL_MS: '50',
    OUTBOX_BACKOFF_BASE_MS: '20',
    OUTBOX_BACKOFF_MAX_MS: '200',
    DATA_PLATFORM_TIMEOUT_MS: '1000',
  }));

  const placeOrder = (body: object, key?: string) => {
    const call = t.http.post('/api/v1/orders').set(bearerForBody(body));
    return (key ? call.set('Idempotency-Key', key) : call).send(body);
  };
  const pay = (body: object, key?: string) => {
    const call = t.http.post('/api/v1/payments').set(bearerForBody(body));
    return (key ? call.set('Idempotency-Key', key) : call).send(body);
  };
  const issue = (couponId: number, userId: number) => t.http.post(`/api/v1/coupons/${couponId}/issue`).set(bearerSync(userId)).send({ userId }).expect(201);
  const balanceOf = async (userId: number): Promise<number> => (await t.http.get(`/api/v1/users/${userId}/balance`).set(await authHeader(userId)).expect(200)).body.balance;
  const stockOf = async (productId: number): Promise<number> => (await t.http.get(`/api/v1/products/${productId}`).expect(200)).body.stock;
  const couponStatus = async (userId: number, couponId: number): Promise<string> =>
    (await t.http.get(`/api/v1/users/${userId}/coupons`).set(await authHeader(userId)).expect(200)).body.items.find((c: { couponId: number }) => c.couponId === couponId).status;
  const eventsFor = (orderId: number) => platform.events.filter((event) => event.body.orderId === orderId);

  describe('coupons', () => {
    it.each([
      ['FIXED 5,000', { discountType: 'FIXED' as const, discountValue: 5_000 }, 5_000],
      ['PERCENT 15 (rounded down)', { discountType: 'PERCENT' as const, discountValue: 15 }, 5_398],
      ['FIXED larger than the order', { discountType: 'FIXED' as const, discountValue: 99_999 }, 35_990],
      ['PERCENT 100', { discountType: 'PERCENT' as const, discountValue: 100 }, 35_990],
    ])('%s: discount applied at order time, coupon USED by the payment', async (_case, terms, discount) => {
      const user = await makeUser(t.http, { balance: 100_000 });
      const product = await makeProduct(t.http, { price: 17_995 });
      const coupon = await makeCoupon(t.http, terms);
      await issue(coupon.id, user.id);

      const order = await placeOrder({ userId: user.id, items: [{ productId: product.id, quantity: 2 }], couponId: coupon.id }).expect(201);
      expect(order.body).toMatchObject({ totalAmount: 35_990, discountAmount: discount, payAmount: 35_990 - discount, couponId: coupon.id });
      expect(await couponStatus(user.id, coupon.id)).toBe('AVAILABLE');

      const payment = await pay({ orderId: order.body.orderId, userId: user.id }).expect(201);
      expect(payment.body.amount).toBe(35_990 - discount);
      expect(await balanceOf(user.id)).toBe(100_000 - (35_990 - discount));
      expect(await couponStatus(user.id, coupon.id)).toBe('USED');
      const history = (await t.http.get(`/api/v1/users/${user.id}/balance/history`).set(await authHeader(user.id)).expect(200)).body.items;
      // A fully discounted order takes nothing, so it writes no history row (amounts are positive).
      expect(history.filter((row: { type: string }) => row.type === 'PAYMENT')).toHaveLength(discount === 35_990 ? 0 : 1);
    });

    it('refuses an order with a coupon not held, already used or expired, taking nothing', async () => {
      const user = await makeUser(t.http, { balance: 100_000 });
      const product = await makeProduct(t.http, { stock: 10 });
      const notHeld = await makeCoupon(t.http);
      const expired = await makeCoupon(t.http);
      await issue(expired.id, user.id);
      await t.query('UPDATE user_coupons SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE user_id = ? AND coupon_id = ?', [user.id, expired.id]);
      const used = await makeCoupon(t.http);
      await issue(used.id, user.id);
      const first = await placeOrder({ userId: user.id, items: [{ productId: product.id, quantity: 1 }], couponId: used.id }).expect(201);
      await pay({ orderId: first.body.orderId, userId: user.id }).expect(201);

      for (const couponId of [notHeld.id, expired.id, used.id, 987_654]) {
        const response = await placeOrder({ userId: user.id, items: [{ productId: product.id, quantity: 1 }], couponId }).expect(409);
        expect(response.body.code).toBe('COUPON_NOT_USABLE');
      }
      expect(await stockOf(product.id)).toBe(9);
    });

    it('two orders with one coupon: only the first payment can use it; the second changes nothing', async () => {
      const user = await makeUser(t.http, { balance: 100_000 });
      const product = await makeProduct(t.http, { price: 10_000 });
      const coupon = await makeCoupon(t.http, { discountType: 'FIXED', discountValue: 3_000 });
      await issue(coupon.id, user.id);
      const line = { productId: product.id, quantity: 1 };
      const a = (await placeOrder({ userId: user.id, items: [line], couponId: coupon.id }).expect(201)).body;
      const b = (await placeOrder({ userId: user.id, items: [line], couponId: coupon.id }).expect(201)).body;

      await pay({ orderId: a.orderId, userId: user.id }).expect(201);
      const refused = await pay({ orderId: b.orderId, userId: user.id }).expect(409);

      expect(refused.body.code).toBe('COUPON_NOT_USABLE');
      expect(await balanceOf(user.id)).toBe(93_000);
      expect((await t.http.get(`/api/v1/orders/${b.orderId}`).set(await authHeader(user.id)).expect(200)).body.status).toBe('PENDING_PAYMENT');
      const [row] = await t.query<{ order_id: number }>('SELECT order_id FROM user_coupons WHERE user_id = ? AND coupon_id = ?', [user.id, coupon.id]);
      expect(row.order_id).toBe(a.orderId);
    });

    it('a coupon that expires between order and payment refuses the payment, changing nothing', async () => {
      const user = await makeUser(t.http, { balance: 50_000 });
      const product = await makeProduct(t.http, { price: 10_000, stock: 5 });
      const coupon = await makeCoupon(t.http, { discountType: 'FIXED', discountValue: 2_000 });
      await issue(coupon.id, user.id);
      const order = (await placeOrder({ userId: user.id, items: [{ productId: product.id, quantity: 1 }], couponId: coupon.id }).expect(201)).body;
      await t.query('UPDATE user_coupons SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE user_id = ? AND coupon_id = ?', [user.id, coupon.id]);

      const refused = await pay({ orderId: order.orderId, userId: user.id }).expect(409);

      expect(refused.body).toMatchObject({ code: 'COUPON_NOT_USABLE', message: expect.stringContaining('expired') });
      expect(await balanceOf(user.id)).toBe(50_000);
      expect(await couponStatus(user.id, coupon.id)).toBe('EXPIRED');
      expect((await t.http.get(`/api/v1/orders/${order.orderId}`).set(await authHeader(user.id)).expect(200)).body.status).toBe('PENDING_PAYMENT');
      expect(await t.query('SELECT id FROM payments WHERE order_id = ?', [order.orderId])).toEqual([]);
    });

    it('concurrent payments of two orders sharing a coupon: exactly one succeeds', async () => {
      const user = await makeUser(t.http, { balance: 100_000 });
      const product = await makeProduct(t.http, { price: 10_000 });
      const coupon = await makeCoupon(t.http, { discountType: 'PERCENT', discountValue: 50 });
      await issue(coupon.id, user.id);
      const orders = [];
      for (let i = 0; i < 5; i++) orders.push((await placeOrder({ userId: user.id, items: [{ productId: product.id, quantity: 1 }], couponId: coupon.id }).expect(201)).body);

      const responses = await Promise.all(orders.map((order) => pay({ orderId: order.orderId, userId: user.id })));

      expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
      expect(await balanceOf(user.id)).toBe(95_000);
    });
  });

  describe('the data platform', () => {
    it('receives each paid order once, with the contract body and its event id as Idempotency-Key', async () => {
      const user = await makeUser(t.http, { balance: 100_000 });
      const product = await makeProduct(t.http, { price: 4_000 });
      const order = (await placeOrder({ userId: user.id, items: [{ productId: product.id, quantity: 3 }] }).expect(201)).body;
      const payment = (await pay({ orderId: order.orderId, userId: user.id }).expect(201)).body;

      const [event] = await waitFor('the paid order at the platform', () => eventsFor(order.orderId).length > 0 && eventsFor(order.orderId));
      expect(event.body).toEqual({
        eventId: event.idempotencyKey,
        type: 'ORDER_PAID',
        orderId: order.orderId,
        userId: user.id,
        items: [{ productId: product.id, quantity: 3, unitPrice: 4_000 }],
        totalAmount: 12_000,
        discountAmount: 0,
        payAmount: 12_000,
        paidAt: payment.paidAt,
      });
      expect(event.contentType).toContain('application/json');
    });

    it('an outage costs nothing: payments stay fast, every event arrives after recovery', async () => {
      platform.setFailure(503);
      const product = await makeProduct(t.http, { price: 1_000, stock: 100 });
      const users = await Promise.all(Array.from({ length: 10 }, () => makeUser(t.http, { balance: 10_000 })));
      const orderIds: number[] = [];
      const started = Date.now();
      for (const user of users) {
        const order = (await placeOrder({ userId: user.id, items: [{ productId: product.id, quantity: 1 }] }).expect(201)).body;
        await pay({ orderId: order.orderId, userId: user.id }).expect(201);
        orderIds.push(order.orderId);
      }
      // Ten checkouts while every delivery fails; the payments never waited for the platform.
      expect(Date.now() - started).toBeLessThan(5_000);
      await waitFor('failed delivery attempts', async () => {
        const [row] = await t.query<{ n: number }>("SELECT COUNT(*) AS n FROM outbox_events WHERE status = 'PENDING' AND attempts >= 2");
        return row.n >= orderIds.length;
      });
      expect(orderIds.every((id) => eventsFor(id).length === 0)).toBe(true);

      platform.setFailure(null);
      await waitFor('every event after recovery', () => orderIds.every((id) => eventsFor(id).length > 0), 15_000);
      for (const id of orderIds) expect(new Set(eventsFor(id).map((event) => event.idempotencyKey)).size).toBe(1);
    });
  });

  describe('Idempotency-Key', () => {
    it('a retried order returns the first response and takes stock once', async () => {
      const user = await makeUser(t.http);
      const product = await makeProduct(t.http, { stock: 10 });
      const body = { userId: user.id, items: [{ productId: product.id, quantity: 3 }] };

      const first = await placeOrder(body, 'order-retry-1').expect(201);
      const again = await placeOrder(body, 'order-retry-1').expect(201);

      expect(again.body).toEqual(first.body);
      expect(await stockOf(product.id)).toBe(7);
      const reused = await placeOrder({ ...body, items: [{ productId: product.id, quantity: 4 }] }, 'order-retry-1').expect(422);
      expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('concurrent retries of one payment: the balance is taken once, every answer is the same payment', async () => {
      const user = await makeUser(t.http, { balance: 50_000 });
      const product = await makeProduct(t.http, { price: 5_000 });
      const order = (await placeOrder({ userId: user.id, items: [{ productId: product.id, quantity: 1 }] }).expect(201)).body;

      const responses = await Promise.all(Array.from({ length: 8 }, () => pay({ orderId: order.orderId, userId: user.id }, 'pay-retry-1')));

      const succeeded = responses.filter((r) => r.status === 201);
      expect(succeeded.length).toBeGreaterThanOrEqual(1);
      expect(new Set(succeeded.map((r) => r.body.paymentId)).size).toBe(1);
      expect(responses.filter((r) => r.status !== 201).every((r) => r.status === 409 && r.body.code === 'IDEMPOTENCY_KEY_IN_USE')).toBe(true);
      expect(await balanceOf(user.id)).toBe(45_000);
    });
  });

  it('the operator sees delivered events through the admin API', async () => {
    const list = await t.http.get('/api/v1/admin/outbox-events?status=SENT&limit=5').set('X-Admin-Key', ADMIN_KEY).expect(200);
    expect(list.body.items.length).toBeGreaterThan(0);
  });
});
