import { OrderExpiryJob } from '../src/order/order-expiry.job';
import { bearerSync } from './support/auth';
import { makeProduct, makeUser } from './support/factories';
import { findViolations } from './support/invariants';
import { ADMIN_KEY, useTestApp } from './support/test-app';

describe('restock a product (admin, e2e)', () => {
  const t = useTestApp();

  const restock = (productId: number | string, body: unknown, key: string | null = ADMIN_KEY) => {
    const post = t.http.post(`/api/v1/products/${productId}/stock`);
    return (key === null ? post : post.set('X-Admin-Key', key)).send(body as object);
  };
  const stockOf = async (productId: number): Promise<number> => (await t.http.get(`/api/v1/products/${productId}`).expect(200)).body.stock;

  it('adds units and answers the product with its stock after the restock', async () => {
    const product = await makeProduct(t.http, { name: 'Sneaker drop', price: 219_000, stock: 0 });

    const response = await restock(product.id, { quantity: 25 }).expect(200);

    expect(response.body).toEqual({ id: product.id, name: 'Sneaker drop', price: 219_000, stock: 25 });
    expect(await stockOf(product.id)).toBe(25);
  });

  it('409 STOCK_LIMIT_EXCEEDED past 1,000,000 units, adding nothing; up to it is fine', async () => {
    const product = await makeProduct(t.http, { stock: 999_900 });

    const refused = await restock(product.id, { quantity: 101 }).expect(409);

    expect(refused.body).toMatchObject({ statusCode: 409, code: 'STOCK_LIMIT_EXCEEDED', message: expect.stringContaining('999900') });
    expect(await stockOf(product.id)).toBe(999_900);
    await restock(product.id, { quantity: 100 }).expect(200);
    expect(await stockOf(product.id)).toBe(1_000_000);
  });

  it('404 PRODUCT_NOT_FOUND, 401 without the admin key, 400 for a bad quantity: nothing added', async () => {
    const product = await makeProduct(t.http, { stock: 5 });
    expect((await restock(987_654, { quantity: 1 }).expect(404)).body.code).toBe('PRODUCT_NOT_FOUND');
    expect((await restock(product.id, { quantity: 1 }, null).expect(401)).body.code).toBe('UNAUTHORIZED');
    expect((await restock(product.id, { quantity: 1 }, 'wrong-key-123').expect(401)).body.code).toBe('UNAUTHORIZED');
    for (const body of [{}, { quantity: 0 }, { quantity: 1_000_001 }, { quantity: 1.5 }, { quantity: '3' }, { quantity: 1, stock: 9 }]) {
      expect({ body, code: (await restock(product.id, body).expect(400)).body.code }).toEqual({ body, code: 'VALIDATION_FAILED' });
    }
    await restock('abc', { quantity: 1 }).expect(400);
    expect(await stockOf(product.id)).toBe(5);
  });

  it('loses no unit to concurrent restocks, orders, cancels and expiries of one product', async () => {
    const product = await makeProduct(t.http, { price: 1_000, stock: 10 });
    const users = await Promise.all(Array.from({ length: 20 }, () => makeUser(t.http, { balance: 100_000 })));
    const orderOf = (userId: number) => t.http.post('/api/v1/orders').set(bearerSync(userId)).send({ userId, items: [{ productId: product.id, quantity: 2 }] });
    // Some orders to cancel and some to expire while the rest runs.
    const held = await Promise.all(users.slice(0, 4).map(async (user) => ({ user, orderId: (await orderOf(user.id).expect(201)).body.orderId as number })));
    await t.query('UPDATE orders SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id IN (?, ?)', [held[2].orderId, held[3].orderId]);

    const results = await Promise.all([
      ...Array.from({ length: 10 }, () => restock(product.id, { quantity: 3 })),
      ...users.slice(4).map((user) => orderOf(user.id)),
      ...held.slice(0, 2).map(({ user, orderId }) => t.http.post(`/api/v1/orders/${orderId}/cancel`).set(bearerSync(user.id)).send({ userId: user.id })),
      t.app.get(OrderExpiryJob).expireDueOrders(),
    ]);

    expect(results.slice(0, 10).map((r) => (r as { status: number }).status)).toEqual(Array(10).fill(200));
    expect(results.slice(26, 28).map((r) => (r as { status: number }).status)).toEqual([200, 200]);
    const [{ held: stillHeld }] = await t.query<{ held: number }>(
      "SELECT COALESCE(SUM(i.quantity), 0) AS held FROM order_items i JOIN orders o ON o.id = i.order_id WHERE i.product_id = ? AND o.status IN ('PENDING_PAYMENT', 'PAID')",
      [product.id],
    );
    expect((await stockOf(product.id)) + Number(stillHeld)).toBe(10 + 30);
    expect(await findViolations(t.query, new Map([[product.id, 10]]), new Map([[product.id, 30]]))).toEqual([]);
  });
});
