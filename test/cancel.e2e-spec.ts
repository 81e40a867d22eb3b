import { OrderExpiryJob } from '../src/order/order-expiry.job';
import { bearerSync } from './support/auth';
import { makeCoupon, makeProduct, makeUser } from './support/factories';
import { ADMIN_KEY, TestApp, useMockDataPlatform, useTestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

interface OrderBody {
  orderId: number;
  userId: number;
  status: string;
  payAmount: number;
  paidAt: string | null;
  canceledAt: string | null;
  refundedAt: string | null;
  [field: string]: unknown;
}

/** The calls of a shopper, through HTTP. */
function shopper(t: TestApp) {
  const as = (userId: number) => bearerSync(userId);
  return {
    order: async (userId: number, items: Array<{ productId: number; quantity: number }>, couponId?: number): Promise<OrderBody> =>
      (await t.http.post('/api/v1/orders').set(as(userId)).send({ userId, items, ...(couponId === undefined ? {} : { couponId }) }).expect(201)).body,
    pay: (orderId: number, userId: number) => t.http.post('/api/v1/payments').set(as(userId)).send({ orderId, userId }),
    cancel: (orderId: number, userId: number) => t.http.post(`/api/v1/orders/${orderId}/cancel`).set(as(userId)).send({ userId }),
    read: async (orderId: number, userId: number): Promise<OrderBody> => (await t.http.get(`/api/v1/orders/${orderId}`).set(as(userId)).expect(200)).body,
    issue: async (couponId: number, userId: number) => t.http.post(`/api/v1/coupons/${couponId}/issue`).set(as(userId)).send({ userId }).expect(201),
    coupons: async (userId: number) => (await t.http.get(`/api/v1/users/${userId}/coupons`).set(as(userId)).expect(200)).body.items,
    balance: async (userId: number): Promise<number> => (await t.http.get(`/api/v1/users/${userId}/balance`).set(as(userId)).expect(200)).body.balance,
    history: async (userId: number) => (await t.http.get(`/api/v1/users/${userId}/balance/history`).set(as(userId)).expect(200)).body.items,
    stock: async (productId: number): Promise<number> => (await t.http.get(`/api/v1/products/${productId}`).expect(200)).body.stock,
    top: async () => (await t.http.get('/api/v1/products/top?days=1&limit=100').expect(200)).body.items as Array<{ productId: number; soldQuantity: number }>,
  };
}

describe('cancel an order (e2e)', () => {
  const t = useTestApp({ RANKING_CACHE_TTL_SECONDS: '0', REFUND_WINDOW_DAYS: '7' });
  const shop = shopper(t);
  const eventsOf = (orderId: number) => t.query<{ type: string; payload: unknown }>('SELECT type, payload FROM outbox_events WHERE order_id = ? ORDER BY id', [orderId]);

  it('cancels an unpaid order: CANCELED with canceledAt, its stock back, nothing else changed', async () => {
    const user = await makeUser(t.http, { balance: 50_000 });
    const [a, b] = [await makeProduct(t.http, { stock: 10 }), await makeProduct(t.http, { stock: 5 })];
    const placed = await shop.order(user.id, [
      { productId: a.id, quantity: 3 },
      { productId: b.id, quantity: 2 },
    ]);
    const historyBefore = await shop.history(user.id);

    const response = await shop.cancel(placed.orderId, user.id).expect(200);

    expect(response.body).toEqual({ ...placed, status: 'CANCELED', canceledAt: expect.stringMatching(/Z$/) });
    expect(Date.parse(response.body.canceledAt)).toBeGreaterThanOrEqual(Date.parse(placed.createdAt as string));
    expect(await shop.read(placed.orderId, user.id)).toEqual(response.body);
    expect([await shop.stock(a.id), await shop.stock(b.id)]).toEqual([10, 5]);
    expect(await shop.balance(user.id)).toBe(50_000);
    expect(await shop.history(user.id)).toEqual(historyBefore);
    expect(await eventsOf(placed.orderId)).toEqual([]);
    // Final: neither paid nor canceled again.
    expect((await shop.pay(placed.orderId, user.id).expect(409)).body).toMatchObject({ code: 'ORDER_NOT_PAYABLE', message: expect.stringContaining('CANCELED') });
    expect((await shop.cancel(placed.orderId, user.id).expect(409)).body).toMatchObject({ code: 'ORDER_NOT_CANCELABLE', message: expect.stringContaining('CANCELED') });
  });

  it('refunds a paid order: balance back with one REFUND row, coupon AVAILABLE with its own expiry, stock back, out of top products, an ORDER_REFUNDED event', async () => {
    const user = await makeUser(t.http, { balance: 100_000 });
    const product = await makeProduct(t.http, { price: 20_000, stock: 10 });
    const coupon = await makeCoupon(t.http, { discountType: 'FIXED', discountValue: 5_000 });
    const issued = (await shop.issue(coupon.id, user.id)).body;
    const placed = await shop.order(user.id, [{ productId: product.id, quantity: 2 }], coupon.id);
    const payment = (await shop.pay(placed.orderId, user.id).expect(201)).body;
    expect(await shop.top()).toContainEqual(expect.objectContaining({ productId: product.id, soldQuantity: 2 }));

    const response = await shop.cancel(placed.orderId, user.id).expect(200);

    expect(response.body).toEqual({ ...placed, status: 'REFUNDED', paidAt: payment.paidAt, refundedAt: expect.stringMatching(/Z$/) });
    expect(await shop.balance(user.id)).toBe(100_000);
    const [refund, paid] = await shop.history(user.id);
    expect(paid).toMatchObject({ type: 'PAYMENT', amount: 35_000, orderId: placed.orderId });
    expect(refund).toMatchObject({ type: 'REFUND', amount: 35_000, balanceAfter: 100_000, orderId: placed.orderId });
    expect(await shop.coupons(user.id)).toEqual([expect.objectContaining({ couponId: coupon.id, status: 'AVAILABLE', usedAt: null, expiresAt: issued.expiresAt })]);
    expect(await shop.stock(product.id)).toBe(10);
    expect((await shop.top()).map((item) => item.productId)).not.toContain(product.id);
    const events = await eventsOf(placed.orderId);
    expect(events.map((event) => event.type)).toEqual(['ORDER_PAID', 'ORDER_REFUNDED']);
    expect(typeof events[1].payload === 'string' ? JSON.parse(events[1].payload) : events[1].payload).toEqual({
      orderId: placed.orderId,
      userId: user.id,
      items: [{ productId: product.id, quantity: 2, unitPrice: 20_000 }],
      refundAmount: 35_000,
      paidAt: payment.paidAt,
      refundedAt: response.body.refundedAt,
    });
    // The coupon discounts a new order again.
    const again = await shop.order(user.id, [{ productId: product.id, quantity: 1 }], coupon.id);
    expect(again).toMatchObject({ couponId: coupon.id, discountAmount: 5_000, payAmount: 15_000 });
    await shop.pay(again.orderId, user.id).expect(201);
    expect(await shop.coupons(user.id)).toEqual([expect.objectContaining({ couponId: coupon.id, status: 'USED' })]);
  });

  it('a refund is not held to the charge limit, and a fully discounted order writes no REFUND row', async () => {
    const rich = await makeUser(t.http, { balance: 1_000_000 });
    const product = await makeProduct(t.http, { price: 100_000, stock: 10 });
    const placed = await shop.order(rich.id, [{ productId: product.id, quantity: 1 }]);
    await shop.pay(placed.orderId, rich.id).expect(201);
    for (let i = 0; i < 9; i++) await t.http.post(`/api/v1/users/${rich.id}/balance/charge`).set(bearerSync(rich.id)).send({ amount: 1_000_000 }).expect(200);
    await t.http.post(`/api/v1/users/${rich.id}/balance/charge`).set(bearerSync(rich.id)).send({ amount: 100_000 }).expect(200);
    expect(await shop.balance(rich.id)).toBe(10_000_000);

    await shop.cancel(placed.orderId, rich.id).expect(200);
    expect(await shop.balance(rich.id)).toBe(10_100_000);

    const user = await makeUser(t.http);
    const free = await makeCoupon(t.http, { discountType: 'PERCENT', discountValue: 100 });
    await shop.issue(free.id, user.id);
    const discounted = await shop.order(user.id, [{ productId: product.id, quantity: 1 }], free.id);
    expect(discounted.payAmount).toBe(0);
    await shop.pay(discounted.orderId, user.id).expect(201);
    await shop.cancel(discounted.orderId, user.id).expect(200);
    expect(await shop.history(user.id)).toEqual([]);
    expect(await shop.coupons(user.id)).toEqual([expect.objectContaining({ couponId: free.id, status: 'AVAILABLE' })]);
  });

  describe('refusals change nothing', () => {
    const snapshot = (orderId: number, userId: number) =>
      Promise.all([
        t.query('SELECT status, canceled_at, refunded_at FROM orders WHERE id = ?', [orderId]),
        t.query('SELECT balance FROM user_balances WHERE user_id = ?', [userId]),
        t.query('SELECT COUNT(*) AS n FROM balance_history WHERE user_id = ?', [userId]),
        t.query('SELECT p.id, p.stock FROM products p JOIN order_items i ON i.product_id = p.id WHERE i.order_id = ?', [orderId]),
        t.query('SELECT COUNT(*) AS n FROM outbox_events WHERE order_id = ?', [orderId]),
      ]);

    async function paidOrder() {
      const user = await makeUser(t.http, { balance: 50_000 });
      const product = await makeProduct(t.http, { stock: 10 });
      const placed = await shop.order(user.id, [{ productId: product.id, quantity: 1 }]);
      await shop.pay(placed.orderId, user.id).expect(201);
      return { user, placed };
    }

    it('409 ORDER_NOT_CANCELABLE for a refunded order, and for one paid longer ago than REFUND_WINDOW_DAYS', async () => {
      const refunded = await paidOrder();
      await shop.cancel(refunded.placed.orderId, refunded.user.id).expect(200);
      const old = await paidOrder();
      await t.query('UPDATE orders SET paid_at = paid_at - INTERVAL 7 DAY WHERE id = ?', [old.placed.orderId]);

      for (const { user, placed } of [refunded, old]) {
        const before = await snapshot(placed.orderId, user.id);
        const response = await shop.cancel(placed.orderId, user.id).expect(409);
        expect(response.body).toMatchObject({ statusCode: 409, code: 'ORDER_NOT_CANCELABLE' });
        expect(await snapshot(placed.orderId, user.id)).toEqual(before);
      }
      expect((await shop.cancel(old.placed.orderId, old.user.id)).body.message).toBe(`order ${old.placed.orderId} was paid more than 7 days ago and cannot be canceled`);
    });

    it('409 ORDER_NOT_CANCELABLE for an unpaid order past its deadline, swept or not: the sweep returns its stock, once', async () => {
      const user = await makeUser(t.http);
      const product = await makeProduct(t.http, { stock: 10 });
      const placed = await shop.order(user.id, [{ productId: product.id, quantity: 4 }]);
      await t.query('UPDATE orders SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [placed.orderId]);

      const before = await snapshot(placed.orderId, user.id);
      expect((await shop.cancel(placed.orderId, user.id).expect(409)).body).toMatchObject({ code: 'ORDER_NOT_CANCELABLE', message: expect.stringContaining('EXPIRED') });
      expect(await snapshot(placed.orderId, user.id)).toEqual(before);
      expect(await shop.stock(product.id)).toBe(6);

      await t.app.get(OrderExpiryJob).expireDueOrders();
      await shop.cancel(placed.orderId, user.id).expect(409);
      expect(await shop.stock(product.id)).toBe(10);
    });

    it('404 ORDER_NOT_FOUND for a missing order; 400 for a bad body or path id; 403 for another userId', async () => {
      const { user, placed } = await paidOrder();
      const before = await snapshot(placed.orderId, user.id);
      await shop.cancel(987_654, user.id).expect(404);
      await t.http.post(`/api/v1/orders/${placed.orderId}/cancel`).set(bearerSync(user.id)).send({}).expect(400);
      await t.http.post(`/api/v1/orders/${placed.orderId}/cancel`).set(bearerSync(user.id)).send({ userId: user.id, reason: 'x' }).expect(400);
      await t.http.post('/api/v1/orders/abc/cancel').set(bearerSync(user.id)).send({ userId: user.id }).expect(400);
      await t.http.post(`/api/v1/orders/${placed.orderId}/cancel`).set(bearerSync(user.id)).send({ userId: user.id + 1 }).expect(403);
      expect(await snapshot(placed.orderId, user.id)).toEqual(before);
    });
  });

  it('honours Idempotency-Key: a retry answers the first response and refunds once; the key on another order is 422', async () => {
    const user = await makeUser(t.http, { balance: 50_000 });
    const product = await makeProduct(t.http, { price: 10_000 });
    const placed = await shop.order(user.id, [{ productId: product.id, quantity: 1 }]);
    await shop.pay(placed.orderId, user.id).expect(201);
    const cancel = (orderId: number) => shop.cancel(orderId, user.id).set('Idempotency-Key', `cancel-${user.id}`);

    const first = await cancel(placed.orderId).expect(200);
    const retry = await cancel(placed.orderId).expect(200);

    expect(retry.body).toEqual(first.body);
    expect(await shop.balance(user.id)).toBe(50_000);
    expect((await shop.history(user.id)).filter((row: { type: string }) => row.type === 'REFUND')).toHaveLength(1);
    const other = await shop.order(user.id, [{ productId: product.id, quantity: 1 }]);
    expect((await cancel(other.orderId).expect(422)).body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await shop.read(other.orderId, user.id)).status).toBe('PENDING_PAYMENT');
  });

  describe('under concurrency each order changes status once', () => {
    it('10 concurrent cancels of one paid order: one refund, one REFUND row, stock back once', async () => {
      const user = await makeUser(t.http, { balance: 50_000 });
      const product = await makeProduct(t.http, { price: 7_000, stock: 20 });
      const placed = await shop.order(user.id, [{ productId: product.id, quantity: 3 }]);
      await shop.pay(placed.orderId, user.id).expect(201);

      const responses = await Promise.all(Array.from({ length: 10 }, () => shop.cancel(placed.orderId, user.id)));

      expect(responses.filter((r) => r.status === 200).map((r) => r.body.status)).toEqual(['REFUNDED']);
      expect(responses.filter((r) => r.status !== 200).map((r) => [r.status, r.body.code])).toEqual(Array(9).fill([409, 'ORDER_NOT_CANCELABLE']));
      expect(await shop.balance(user.id)).toBe(50_000);
      expect((await shop.history(user.id)).filter((row: { type: string }) => row.type === 'REFUND')).toHaveLength(1);
      expect(await shop.stock(product.id)).toBe(20);
      expect((await eventsOf(placed.orderId)).map((event) => event.type)).toEqual(['ORDER_PAID', 'ORDER_REFUNDED']);
    });

    it('a cancel racing the payment of one pending order, 15 times: CANCELED (payment 409) or REFUNDED, balance and stock agreeing each time', async () => {
      const product = await makeProduct(t.http, { price: 10_000, stock: 100 });
      for (let round = 0; round < 15; round++) {
        const user = await makeUser(t.http, { balance: 30_000 });
        const placed = await shop.order(user.id, [{ productId: product.id, quantity: 2 }]);

        const [payment, cancel] = await Promise.all([shop.pay(placed.orderId, user.id), shop.cancel(placed.orderId, user.id)]);

        expect(cancel.status).toBe(200);
        const outcome = `${cancel.body.status}/${payment.status}`;
        expect(['CANCELED/409', 'REFUNDED/201']).toContain(outcome);
        if (payment.status === 409) expect(payment.body.code).toBe('ORDER_NOT_PAYABLE');
        expect(await shop.balance(user.id)).toBe(30_000);
        expect((await shop.read(placed.orderId, user.id)).status).toBe(cancel.body.status);
        expect(await shop.stock(product.id)).toBe(100);
      }
    });

    it('cancels racing the expiry sweep: each order CANCELED or EXPIRED, the stock returned once', async () => {
      const product = await makeProduct(t.http, { stock: 100 });
      const users = await Promise.all(Array.from({ length: 12 }, () => makeUser(t.http)));
      const placed = await Promise.all(users.map((user) => shop.order(user.id, [{ productId: product.id, quantity: 2 }])));
      expect(await shop.stock(product.id)).toBe(76);

      // The sweep is told it is an hour later, so every one of these orders is due for it while
      // the cancels, on the real clock, still find them unpaid: both race for each order's row.
      const [, responses] = await Promise.all([
        t.app.get(OrderExpiryJob).expireDueOrders(new Date(Date.now() + 3_600_000)),
        Promise.all(placed.map((order, i) => shop.cancel(order.orderId, users[i].id))),
      ]);

      const statuses = await t.query<{ status: string }>(`SELECT status FROM orders WHERE id IN (${placed.map(() => '?').join(', ')})`, placed.map((o) => o.orderId));
      expect(statuses.every((row) => row.status === 'CANCELED' || row.status === 'EXPIRED')).toBe(true);
      responses.forEach((response) => expect([200, 409]).toContain(response.status));
      expect(responses.filter((r) => r.status === 200)).toHaveLength(statuses.filter((row) => row.status === 'CANCELED').length);
      expect(await shop.stock(product.id)).toBe(100);
    });
  });
});

describe('cancel with REFUND_WINDOW_DAYS=0 (e2e)', () => {
  const t = useTestApp({ REFUND_WINDOW_DAYS: '0' });
  const shop = shopper(t);

  it('cancels unpaid orders but refunds no paid one', async () => {
    const user = await makeUser(t.http, { balance: 20_000 });
    const product = await makeProduct(t.http, { price: 5_000, stock: 10 });
    const unpaid = await shop.order(user.id, [{ productId: product.id, quantity: 1 }]);
    const paid = await shop.order(user.id, [{ productId: product.id, quantity: 1 }]);
    await shop.pay(paid.orderId, user.id).expect(201);

    expect((await shop.cancel(unpaid.orderId, user.id).expect(200)).body.status).toBe('CANCELED');
    expect((await shop.cancel(paid.orderId, user.id).expect(409)).body.code).toBe('ORDER_NOT_CANCELABLE');
    expect(await shop.balance(user.id)).toBe(15_000);
  });
});

describe('delivery of a refund to the data platform (e2e)', () => {
  const platform = useMockDataPlatform();
  const t = useTestApp(() => ({
    DATA_PLATFORM_URL: platform.url,
    OUTBOX_POLL_INTERVAL_MS: '50',
    OUTBOX_BACKOFF_BASE_MS: '20',
    OUTBOX_BACKOFF_MAX_MS: '100',
    OUTBOX_MAX_ATTEMPTS: '4',
  }));
  const shop = shopper(t);
  const outboxOf = (orderId: number) =>
    t.query<{ event_id: string; type: string; status: string; attempts: number }>('SELECT event_id, type, status, attempts FROM outbox_events WHERE order_id = ? ORDER BY id', [orderId]);
  const arrivals = (orderId: number) => platform.events.filter((event) => event.body.orderId === orderId).map((event) => event.body.type);

  async function refundedOrder() {
    const user = await makeUser(t.http, { balance: 50_000 });
    const product = await makeProduct(t.http, { price: 10_000 });
    const placed = await shop.order(user.id, [{ productId: product.id, quantity: 1 }]);
    await shop.pay(placed.orderId, user.id).expect(201);
    await shop.cancel(placed.orderId, user.id).expect(200);
    return placed.orderId;
  }

  it("during an outage the refund's event waits for the paid one, and arrives after it", async () => {
    platform.setFailure(503);
    const orderId = await refundedOrder();
    // The paid event is being retried; the refund's is not even attempted meanwhile.
    await waitFor('the paid event retried', async () => (await outboxOf(orderId))[0].attempts >= 2);
    expect((await outboxOf(orderId))[1]).toMatchObject({ type: 'ORDER_REFUNDED', status: 'PENDING', attempts: 0 });

    platform.setFailure(null);
    await waitFor('both events delivered', async () => (await outboxOf(orderId)).every((event) => event.status === 'SENT'));
    expect(arrivals(orderId)).toEqual(['ORDER_PAID', 'ORDER_REFUNDED']);
  });

  it('a refund waits while the paid event is DEAD, and follows it once an operator retries it', async () => {
    platform.setFailure(503);
    const orderId = await refundedOrder();
    await waitFor('the paid event dead', async () => (await outboxOf(orderId))[0].status === 'DEAD');
    platform.setFailure(null);
    // Several polls later the refund has still not been attempted.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await outboxOf(orderId))[1]).toMatchObject({ status: 'PENDING', attempts: 0 });
    expect(arrivals(orderId)).toEqual([]);

    const [paid] = await outboxOf(orderId);
    await t.http.post(`/api/v1/admin/outbox-events/${paid.event_id}/retry`).set('X-Admin-Key', ADMIN_KEY).expect(200);
    await waitFor('both events delivered', async () => (await outboxOf(orderId)).every((event) => event.status === 'SENT'));
    expect(arrivals(orderId)).toEqual(['ORDER_PAID', 'ORDER_REFUNDED']);
  });
});
