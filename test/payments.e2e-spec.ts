import { makeProduct, makeUser } from './support/factories';
import { authHeader, bearerForBody } from './support/auth';
import { useTestApp } from './support/test-app';

describe('payments (e2e)', () => {
  const t = useTestApp();

  const placeOrder = async (userId: number, productId: number, quantity = 1): Promise<{ orderId: number; payAmount: number }> =>
    (await t.http.post('/api/v1/orders').set(await authHeader(userId)).send({ userId, items: [{ productId, quantity }] }).expect(201)).body;
  const pay = (body: unknown) => t.http.post('/api/v1/payments').set(bearerForBody(body)).send(body as object);
  const balanceOf = async (userId: number): Promise<number> => (await t.http.get(`/api/v1/users/${userId}/balance`).set(await authHeader(userId)).expect(200)).body.balance;
  const orderStatus = async (orderId: number, userId: number): Promise<string> =>
    (await t.http.get(`/api/v1/orders/${orderId}`).set(await authHeader(userId)).expect(200)).body.status;

  it('pays an order: balance reduced, PAYMENT history row, order PAID', async () => {
    const user = await makeUser(t.http, { balance: 50_000 });
    const product = await makeProduct(t.http, { price: 12_000 });
    const order = await placeOrder(user.id, product.id, 2);

    const response = await pay({ orderId: order.orderId, userId: user.id }).expect(201);

    expect(response.body).toEqual({
      paymentId: expect.any(Number),
      orderId: order.orderId,
      userId: user.id,
      amount: 24_000,
      status: 'PAID',
      paidAt: expect.stringMatching(/Z$/),
    });
    expect(await balanceOf(user.id)).toBe(26_000);
    expect(await orderStatus(order.orderId, user.id)).toBe('PAID');
    const history = (await t.http.get(`/api/v1/users/${user.id}/balance/history`).set(await authHeader(user.id)).expect(200)).body.items;
    expect(history[0]).toMatchObject({ type: 'PAYMENT', amount: 24_000, balanceAfter: 26_000, orderId: order.orderId });
  });

  it("GET /orders/{id} shows paidAt: null until the order is paid, then the payment's time", async () => {
    const user = await makeUser(t.http, { balance: 50_000 });
    const product = await makeProduct(t.http, { price: 12_000 });
    const order = await placeOrder(user.id, product.id);
    const readOrder = async () => (await t.http.get(`/api/v1/orders/${order.orderId}`).set(await authHeader(user.id)).expect(200)).body;
    expect(await readOrder()).toMatchObject({ status: 'PENDING_PAYMENT', paidAt: null });

    const payment = (await pay({ orderId: order.orderId, userId: user.id }).set(await authHeader(user.id)).expect(201)).body;

    expect(await readOrder()).toMatchObject({ status: 'PAID', paidAt: payment.paidAt });
  });

  it('10 concurrent payments of one order → exactly one 201, balance reduced once', async () => {
    const user = await makeUser(t.http, { balance: 100_000 });
    const product = await makeProduct(t.http, { price: 10_000 });
    const order = await placeOrder(user.id, product.id);

    const responses = await Promise.all(Array.from({ length: 10 }, () => pay({ orderId: order.orderId, userId: user.id })));

    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    const refused = responses.filter((r) => r.status !== 201);
    expect(refused.map((r) => [r.status, r.body.code])).toEqual(Array(9).fill([409, 'ORDER_NOT_PAYABLE']));
    expect(await balanceOf(user.id)).toBe(90_000);
    expect(await t.query('SELECT id FROM payments WHERE order_id = ?', [order.orderId])).toHaveLength(1);
  });

  describe('refusals change nothing', () => {
    async function snapshot(userId: number, orderId: number, productId: number) {
      const [product] = await t.query('SELECT stock FROM products WHERE id = ?', [productId]);
      const [order] = await t.query('SELECT status, paid_at FROM orders WHERE id = ?', [orderId]);
      const history = await t.query('SELECT id FROM balance_history WHERE user_id = ?', [userId]);
      return { balance: await balanceOf(userId), product, order, history: history.length };
    }

    it('INSUFFICIENT_BALANCE', async () => {
      const user = await makeUser(t.http, { balance: 9_999 });
      const product = await makeProduct(t.http, { price: 10_000 });
      const order = await placeOrder(user.id, product.id);
      const before = await snapshot(user.id, order.orderId, product.id);

      const response = await pay({ orderId: order.orderId, userId: user.id }).expect(409);

      expect(response.body).toMatchObject({ statusCode: 409, code: 'INSUFFICIENT_BALANCE' });
      expect(await snapshot(user.id, order.orderId, product.id)).toEqual(before);
    });

    it("ORDER_NOT_FOUND for another user's order", async () => {
      const owner = await makeUser(t.http, { balance: 50_000 });
      const stranger = await makeUser(t.http, { balance: 50_000 });
      const product = await makeProduct(t.http);
      const order = await placeOrder(owner.id, product.id);
      const before = await snapshot(stranger.id, order.orderId, product.id);

      const response = await pay({ orderId: order.orderId, userId: stranger.id }).expect(404);

      expect(response.body).toMatchObject({ statusCode: 404, code: 'ORDER_NOT_FOUND' });
      expect(await snapshot(stranger.id, order.orderId, product.id)).toEqual(before);
    });

    it('ORDER_NOT_PAYABLE for a paid order', async () => {
      const user = await makeUser(t.http, { balance: 50_000 });
      const product = await makeProduct(t.http);
      const order = await placeOrder(user.id, product.id);
      await pay({ orderId: order.orderId, userId: user.id }).expect(201);
      const before = await snapshot(user.id, order.orderId, product.id);

      const response = await pay({ orderId: order.orderId, userId: user.id }).expect(409);

      expect(response.body).toMatchObject({ code: 'ORDER_NOT_PAYABLE' });
      expect(await snapshot(user.id, order.orderId, product.id)).toEqual(before);
    });

    it('ORDER_NOT_PAYABLE for an order past its deadline', async () => {
      const user = await makeUser(t.http, { balance: 50_000 });
      const product = await makeProduct(t.http);
      const order = await placeOrder(user.id, product.id);
      await t.query('UPDATE orders SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [order.orderId]);
      const before = await snapshot(user.id, order.orderId, product.id);

      const response = await pay({ orderId: order.orderId, userId: user.id }).expect(409);

      expect(response.body).toMatchObject({ code: 'ORDER_NOT_PAYABLE' });
      const after = await snapshot(user.id, order.orderId, product.id);
      expect(after.balance).toBe(before.balance);
      expect(after.history).toBe(before.history);
    });

    it('ORDER_NOT_FOUND', async () => {
      const user = await makeUser(t.http, { balance: 50_000 });
      const response = await pay({ orderId: 987_654, userId: user.id }).expect(404);
      expect(response.body).toMatchObject({ code: 'ORDER_NOT_FOUND' });
      expect(await balanceOf(user.id)).toBe(50_000);
    });
  });

  it.each([
    ['missing orderId', { userId: 1 }, 'orderId'],
    ['missing userId', { orderId: 1 }, 'userId'],
    ['orderId as a string', { orderId: '1', userId: 1 }, 'orderId'],
    ['userId fractional', { orderId: 1, userId: 1.5 }, 'userId'],
    ['orderId zero', { orderId: 0, userId: 1 }, 'orderId'],
    ['unknown field', { orderId: 1, userId: 1, amount: 0 }, 'amount'],
  ])('bad input: %s → 400 VALIDATION_FAILED', async (_case, body, field) => {
    const response = await pay(body).expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', message: expect.stringContaining(field) });
  });
});
