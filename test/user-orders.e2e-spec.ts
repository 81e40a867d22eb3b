import { bearerSync } from './support/auth';
import { makeProduct, makeUser } from './support/factories';
import { useTestApp } from './support/test-app';

describe("a user's orders (e2e)", () => {
  const t = useTestApp({ MAX_PENDING_ORDERS_PER_USER: '1000' });

  const list = (userId: number, query = '') => t.http.get(`/api/v1/users/${userId}/orders${query}`).set(bearerSync(userId));
  const order = async (userId: number, productId: number): Promise<number> =>
    (await t.http.post('/api/v1/orders').set(bearerSync(userId)).send({ userId, items: [{ productId, quantity: 1 }] }).expect(201)).body.orderId;
  const pay = (userId: number, orderId: number) => t.http.post('/api/v1/payments').set(bearerSync(userId)).send({ orderId, userId }).expect(201);
  const cancel = (userId: number, orderId: number) => t.http.post(`/api/v1/orders/${orderId}/cancel`).set(bearerSync(userId)).send({ userId }).expect(200);
  const ids = (body: { items: Array<{ orderId: number }> }) => body.items.map((item) => item.orderId);

  /** A user with one order in each status a client can see, oldest first. */
  async function userWithEveryStatus() {
    const user = await makeUser(t.http, { balance: 1_000_000 });
    const product = await makeProduct(t.http, { price: 1_000, stock: 1_000 });
    const [paid, canceled, refunded, swept, due, pending] = [
      await order(user.id, product.id),
      await order(user.id, product.id),
      await order(user.id, product.id),
      await order(user.id, product.id),
      await order(user.id, product.id),
      await order(user.id, product.id),
    ];
    await pay(user.id, paid);
    await cancel(user.id, canceled);
    await pay(user.id, refunded);
    await cancel(user.id, refunded);
    // Past the deadline: one the sweep reached, one it has not reached yet.
    await t.query("UPDATE orders SET status = 'EXPIRED', expires_at = NOW(3) - INTERVAL 1 MINUTE WHERE id = ?", [swept]);
    await t.query('UPDATE orders SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [due]);
    return { user, orders: { paid, canceled, refunded, swept, due, pending } };
  }

  it('lists every order newest first, each exactly as GET /orders/{id} shows it', async () => {
    const { user, orders } = await userWithEveryStatus();

    const response = await list(user.id).expect(200);

    expect(ids(response.body)).toEqual([orders.pending, orders.due, orders.swept, orders.refunded, orders.canceled, orders.paid]);
    expect(response.body.nextCursor).toBeNull();
    for (const item of response.body.items) {
      const read = await t.http.get(`/api/v1/orders/${item.orderId}`).set(bearerSync(user.id)).expect(200);
      expect(item).toEqual(read.body);
    }
    expect(response.body.items.map((item: { status: string }) => item.status)).toEqual(['PENDING_PAYMENT', 'EXPIRED', 'EXPIRED', 'REFUNDED', 'CANCELED', 'PAID']);
  });

  it('filters by the status a user sees: an unpaid order past its deadline is EXPIRED, swept or not', async () => {
    const { user, orders } = await userWithEveryStatus();
    const filtered = async (status: string) => ids((await list(user.id, `?status=${status}`).expect(200)).body);

    expect(await filtered('PENDING_PAYMENT')).toEqual([orders.pending]);
    expect(await filtered('EXPIRED')).toEqual([orders.due, orders.swept]);
    expect(await filtered('PAID')).toEqual([orders.paid]);
    expect(await filtered('CANCELED')).toEqual([orders.canceled]);
    expect(await filtered('REFUNDED')).toEqual([orders.refunded]);
  });

  it('pages with an opaque cursor, in every filter, to a last page whose nextCursor is null', async () => {
    const user = await makeUser(t.http);
    const product = await makeProduct(t.http, { stock: 1_000 });
    const placed: number[] = [];
    for (let i = 0; i < 7; i++) placed.push(await order(user.id, product.id));
    await t.query(`UPDATE orders SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id IN (?, ?, ?)`, [placed[1], placed[3], placed[5]]);
    await t.query("UPDATE orders SET status = 'EXPIRED' WHERE id = ?", [placed[3]]);

    const walk = async (filter: string) => {
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const response: { body: { items: Array<{ orderId: number }>; nextCursor: string | null } } = await list(user.id, `?limit=2${filter}${cursor === null ? '' : `&cursor=${cursor}`}`).expect(200);
        expect(response.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...ids(response.body));
        cursor = response.body.nextCursor;
        expect(cursor === null || typeof cursor === 'string').toBe(true);
      } while (cursor !== null);
      return seen;
    };

    expect(await walk('')).toEqual([...placed].reverse());
    expect(await walk('&status=EXPIRED')).toEqual([placed[5], placed[3], placed[1]]);
    expect(await walk('&status=PENDING_PAYMENT')).toEqual([placed[6], placed[4], placed[2], placed[0]]);
  });

  it("an existing user with no orders gets an empty page; an unknown one 404; another user's list 403", async () => {
    const user = await makeUser(t.http);
    expect((await list(user.id).expect(200)).body).toEqual({ items: [], nextCursor: null });
    expect((await list(987_654).expect(404)).body.code).toBe('USER_NOT_FOUND');
    expect((await t.http.get(`/api/v1/users/${user.id}/orders`).set(bearerSync(user.id + 1)).expect(403)).body.code).toBe('FORBIDDEN');
  });

  it.each([
    ['an unknown status', '?status=SHIPPED', 'status'],
    ['a lowercase status', '?status=paid', 'status'],
    ['limit 0', '?limit=0', 'limit'],
    ['limit 101', '?limit=101', 'limit'],
    ['a cursor we never issued', '?cursor=abc', 'cursor'],
  ])('%s → 400 VALIDATION_FAILED naming the parameter', async (_case, query, field) => {
    const user = await makeUser(t.http);
    expect((await list(user.id, query).expect(400)).body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining(field) });
  });
});
