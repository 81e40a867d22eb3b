import { OrderExpiryJob } from '../src/order/order-expiry.job';
import { makeProduct, makeUser } from './support/factories';
import { authHeader, bearerForBody } from './support/auth';
import { useTestApp } from './support/test-app';

describe('orders (e2e)', () => {
  const t = useTestApp({ ORDER_PAYMENT_TIMEOUT_SECONDS: '900' });

  const placeOrder = (body: unknown) => t.http.post('/api/v1/orders').set(bearerForBody(body)).send(body as object);
  const stockOf = async (productId: number): Promise<number> => (await t.http.get(`/api/v1/products/${productId}`).expect(200)).body.stock;

  it('takes the stock of every line and answers with the priced order', async () => {
    const user = await makeUser(t.http);
    const a = await makeProduct(t.http, { price: 12_000, stock: 10 });
    const b = await makeProduct(t.http, { price: 3_500, stock: 5 });

    const response = await placeOrder({ userId: user.id, items: [{ productId: b.id, quantity: 2 }, { productId: a.id, quantity: 3 }] }).expect(201);

    expect(response.body).toEqual({
      orderId: expect.any(Number),
      userId: user.id,
      status: 'PENDING_PAYMENT',
      items: expect.arrayContaining([
        { productId: a.id, unitPrice: 12_000, quantity: 3, lineAmount: 36_000 },
        { productId: b.id, unitPrice: 3_500, quantity: 2, lineAmount: 7_000 },
      ]),
      totalAmount: 43_000,
      discountAmount: 0,
      payAmount: 43_000,
      couponId: null,
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
      paidAt: null,
      canceledAt: null,
      refundedAt: null,
    });
    const { createdAt, expiresAt } = response.body;
    expect(Date.parse(expiresAt) - Date.parse(createdAt)).toBe(900_000);
    expect(await stockOf(a.id)).toBe(7);
    expect(await stockOf(b.id)).toBe(3);

    const read = await t.http.get(`/api/v1/orders/${response.body.orderId}`).set(await authHeader(response.body.userId)).expect(200);
    expect(read.body).toEqual({ ...response.body, items: expect.arrayContaining(response.body.items) });
  });

  it('takes couponId null as no coupon, as absent', async () => {
    const user = await makeUser(t.http);
    const product = await makeProduct(t.http, { price: 8_000 });

    const response = await placeOrder({ userId: user.id, items: [{ productId: product.id, quantity: 1 }], couponId: null }).expect(201);
    expect(response.body).toMatchObject({ couponId: null, discountAmount: 0, payAmount: 8_000 });
  });

  it('takes nothing when any line is short: all lines or none', async () => {
    const user = await makeUser(t.http);
    const plenty = await makeProduct(t.http, { stock: 10 });
    const scarce = await makeProduct(t.http, { stock: 1 });

    const response = await placeOrder({ userId: user.id, items: [{ productId: plenty.id, quantity: 5 }, { productId: scarce.id, quantity: 2 }] }).expect(409);
    expect(response.body).toMatchObject({ statusCode: 409, code: 'OUT_OF_STOCK' });
    expect(await stockOf(plenty.id)).toBe(10);
    expect(await stockOf(scarce.id)).toBe(1);
    expect(await t.query('SELECT id FROM orders WHERE user_id = ?', [user.id])).toEqual([]);
  });

  it('answers USER_NOT_FOUND, PRODUCT_NOT_FOUND and ORDER_NOT_FOUND, changing nothing', async () => {
    const user = await makeUser(t.http);
    const product = await makeProduct(t.http, { stock: 3 });

    const noUser = await placeOrder({ userId: 987_654, items: [{ productId: product.id, quantity: 1 }] }).expect(404);
    expect(noUser.body.code).toBe('USER_NOT_FOUND');
    const noProduct = await placeOrder({ userId: user.id, items: [{ productId: product.id, quantity: 1 }, { productId: 987_654, quantity: 1 }] }).expect(404);
    expect(noProduct.body.code).toBe('PRODUCT_NOT_FOUND');
    expect(await stockOf(product.id)).toBe(3);
    const noOrder = await t.http.get('/api/v1/orders/987654').set(await authHeader(user.id)).expect(404);
    expect(noOrder.body.code).toBe('ORDER_NOT_FOUND');
  });

  it('40 users ordering the last 10 units at once → exactly 10 orders, stock 0', async () => {
    const product = await makeProduct(t.http, { stock: 10 });
    const users = await Promise.all(Array.from({ length: 40 }, () => makeUser(t.http)));

    const responses = await Promise.all(users.map((user) => placeOrder({ userId: user.id, items: [{ productId: product.id, quantity: 1 }] })));

    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(30);
    expect(responses.filter((r) => r.status === 409).every((r) => r.body.code === 'OUT_OF_STOCK')).toBe(true);
    expect(await stockOf(product.id)).toBe(0);
    const [{ units }] = await t.query<{ units: number }>('SELECT COALESCE(SUM(quantity), 0) AS units FROM order_items WHERE product_id = ?', [product.id]);
    expect(units).toBe(10);
  });

  it('30 concurrent carts, half [A,B] and half [B,A] → all succeed, no deadlock surfaces, stock exact', async () => {
    const a = await makeProduct(t.http, { stock: 100 });
    const b = await makeProduct(t.http, { stock: 100 });
    const users = await Promise.all(Array.from({ length: 30 }, () => makeUser(t.http)));

    const responses = await Promise.all(
      users.map((user, i) => {
        const lines = [{ productId: a.id, quantity: 2 }, { productId: b.id, quantity: 1 }];
        return placeOrder({ userId: user.id, items: i % 2 === 0 ? lines : lines.reverse() });
      }),
    );

    expect(responses.map((r) => r.status)).toEqual(Array(30).fill(201));
    expect(await stockOf(a.id)).toBe(40);
    expect(await stockOf(b.id)).toBe(70);
  });

  it('an unpaid order expires once its deadline passes and its stock returns exactly once', async () => {
    const user = await makeUser(t.http);
    const product = await makeProduct(t.http, { stock: 5 });
    const order = (await placeOrder({ userId: user.id, items: [{ productId: product.id, quantity: 4 }] }).expect(201)).body;
    expect(await stockOf(product.id)).toBe(1);

    const job = t.app.get(OrderExpiryJob);
    await job.expireDueOrders();
    expect(await stockOf(product.id)).toBe(1);

    await t.query('UPDATE orders SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [order.orderId]);
    // Two sweeps at once (as from two instances, besides the app's own timer), then another.
    await Promise.all([job.expireDueOrders(), job.expireDueOrders()]);
    await job.expireDueOrders();

    expect(await stockOf(product.id)).toBe(5);
    const [row] = await t.query<{ status: string }>('SELECT status FROM orders WHERE id = ?', [order.orderId]);
    expect(row.status).toBe('EXPIRED');
  });

  it('shows an unpaid order past its deadline as EXPIRED even before the sweep ran', async () => {
    const user = await makeUser(t.http);
    const product = await makeProduct(t.http, { stock: 5 });
    const order = (await placeOrder({ userId: user.id, items: [{ productId: product.id, quantity: 1 }] }).expect(201)).body;
    await t.query('UPDATE orders SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [order.orderId]);

    const read = await t.http.get(`/api/v1/orders/${order.orderId}`).set(await authHeader(user.id)).expect(200);
    expect(read.body.status).toBe('EXPIRED');
  });

  describe('bad input → 400 VALIDATION_FAILED naming the field, nothing taken', () => {
    let userId: number;
    let productId: number;

    beforeAll(async () => {
      userId = (await makeUser(t.http)).id;
      productId = (await makeProduct(t.http, { stock: 100 })).id;
    });

    afterEach(async () => {
      expect(await stockOf(productId)).toBe(100);
    });

    const line = () => ({ productId, quantity: 1 });

    it.each([
      ['missing userId', () => ({ items: [line()] }), 'userId'],
      ['userId as a string', () => ({ userId: String(userId), items: [line()] }), 'userId'],
      ['userId zero', () => ({ userId: 0, items: [line()] }), 'userId'],
      ['missing items', () => ({ userId }), 'items'],
      ['empty items', () => ({ userId, items: [] }), 'items'],
      ['items not an array', () => ({ userId, items: line() }), 'items'],
      ['51 lines', () => ({ userId, items: Array.from({ length: 51 }, (_, i) => ({ productId: i + 1, quantity: 1 })) }), 'items'],
      ['a productId twice', () => ({ userId, items: [line(), line()] }), 'items'],
      ['a line that is not an object', () => ({ userId, items: [5] }), 'items'],
      ['quantity zero', () => ({ userId, items: [{ productId, quantity: 0 }] }), 'items.0.quantity'],
      ['quantity above 1,000', () => ({ userId, items: [{ productId, quantity: 1_001 }] }), 'items.0.quantity'],
      ['quantity fractional', () => ({ userId, items: [{ productId, quantity: 1.5 }] }), 'items.0.quantity'],
      ['productId negative', () => ({ userId, items: [{ productId: -1, quantity: 1 }] }), 'items.0.productId'],
      ['unknown field on a line', () => ({ userId, items: [{ ...line(), note: 'x' }] }), 'note'],
      ['unknown field', () => ({ userId, items: [line()], gift: true }), 'gift'],
      ['couponId as a string', () => ({ userId, items: [line()], couponId: '3' }), 'couponId'],
    ])('%s', async (_case, body, field) => {
      const response = await placeOrder(body()).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', message: expect.stringContaining(field) });
    });

    it.each(['abc', '0', '1.5'])('a path orderId of %s', async (id) => {
      const response = await t.http.get(`/api/v1/orders/${id}`).set(await authHeader(1)).expect(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('orderId') });
    });
  });
});
