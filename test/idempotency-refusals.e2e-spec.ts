import type { Connection } from 'mysql2/promise';
import { authHeader } from './support/auth';
import { makeProduct, makeUser } from './support/factories';
import { TestApp, useTestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const HEADER = 'Idempotency-Key';

/**
 * A refusal the work itself produced is an answer like a success: stored under the key in the
 * same transaction, and replayed to retries and to duplicates that waited for the key.
 */
describe('Idempotency-Key: refusals are stored and replayed (e2e)', () => {
  const t = useTestApp();
  let keySequence = 0;
  const newKey = () => `refusal-${++keySequence}-${Date.now()}`;

  const placeOrder = async (userId: number, productId: number, quantity: number, key: string) =>
    t.http.post('/api/v1/orders').set(await authHeader(userId)).set(HEADER, key).send({ userId, items: [{ productId, quantity }] });
  const ordersOf = async (userId: number) => Number((await t.query<{ n: number }>('SELECT COUNT(*) AS n FROM orders WHERE user_id = ?', [userId]))[0].n);
  const stockOf = async (productId: number) => (await t.query<{ stock: number }>('SELECT stock FROM products WHERE id = ?', [productId]))[0].stock;
  const answer = (r: { status: number; body: { code?: string; message?: string } }) => `${r.status} ${r.body.code} ${r.body.message}`;

  it('three identical keyed orders sent at once while stock is short all get the one stored OUT_OF_STOCK, also after stock returns', async () => {
    const user = await makeUser(t.http, { balance: 100_000 });
    const product = await makeProduct(t.http, { stock: 1, price: 1_000 });
    const key = newKey();
    const savepoints: string[] = [];
    const spy = jest.spyOn(t.dataSource.logger, 'logQuery').mockImplementation((query) => {
      if (query.startsWith('SAVEPOINT')) savepoints.push(query);
    });
    let responses;
    try {
      responses = await Promise.all([1, 2, 3].map(() => placeOrder(user.id, product.id, 2, key)));
    } finally {
      spy.mockRestore();
    }

    expect(responses.map(answer)).toEqual(Array(3).fill(answer(responses[0])));
    expect(responses[0].body.code).toBe('OUT_OF_STOCK');
    expect(savepoints).toHaveLength(1); // the work ran once
    expect(await t.query('SELECT refusal_status FROM idempotency_keys WHERE user_id = ?', [user.id])).toEqual([{ refusal_status: 409 }]);

    // Stock returns (an expired order, a restock): a retry with the key still gets the first answer.
    await t.query('UPDATE products SET stock = 10 WHERE id = ?', [product.id]);
    const retry = await placeOrder(user.id, product.id, 2, key);
    expect(answer(retry)).toBe(answer(responses[0]));
    expect(await ordersOf(user.id)).toBe(0);
    expect(await stockOf(product.id)).toBe(10);

    // A new key is a new request.
    expect((await placeOrder(user.id, product.id, 2, newKey())).status).toBe(201);
  });

  describe('a duplicate that waited for the key gets the refusal', () => {
    let holder: Connection;

    beforeEach(async () => {
      holder = await t.openSession();
    });

    afterEach(async () => {
      await holder.end();
    });

    it('the first request is refused while the duplicate waits; neither retry nor duplicate runs the work again', async () => {
      const user = await makeUser(t.http, { balance: 100_000 });
      const product = await makeProduct(t.http, { stock: 1, price: 1_000 });
      const key = newKey();
      // Another transaction holds the product row: the first request prices the order (stock 1 is
      // enough), then waits on the row in its stock update, holding the key.
      await holder.query('START TRANSACTION');
      await holder.query('SELECT stock FROM products WHERE id = ? FOR UPDATE', [product.id]);

      const first = placeOrder(user.id, product.id, 1, key).then((r) => r);
      await waitFor('the first request to wait on the product row', async () => processCount(t, 'UPDATE products SET stock%'));
      const duplicate = placeOrder(user.id, product.id, 1, key).then((r) => r);
      await waitFor('the duplicate to wait on the key', async () => processCount(t, 'INSERT INTO idempotency_keys %'));

      // The other transaction sells the last unit: the first request's work is refused.
      await holder.query('UPDATE products SET stock = 0 WHERE id = ?', [product.id]);
      await holder.query('COMMIT');
      const [firstResponse, duplicateResponse] = await Promise.all([first, duplicate]);

      expect(firstResponse.status).toBe(409);
      expect(firstResponse.body.code).toBe('OUT_OF_STOCK');
      expect(answer(duplicateResponse)).toBe(answer(firstResponse));

      // The stock comes back; the key still answers with the refusal, and the order was never placed.
      await t.query('UPDATE products SET stock = 5 WHERE id = ?', [product.id]);
      expect(answer(await placeOrder(user.id, product.id, 1, key))).toBe(answer(firstResponse));
      expect(await ordersOf(user.id)).toBe(0);
      expect(await stockOf(product.id)).toBe(5);
    });
  });

  it('a 404 produced by the work is stored; the work changed nothing', async () => {
    const user = await makeUser(t.http, { balance: 100_000 });
    const key = newKey();
    const refused = await placeOrder(user.id, 999_999, 1, key);
    expect(refused.status).toBe(404);
    expect(refused.body.code).toBe('PRODUCT_NOT_FOUND');
    const product = await makeProduct(t.http, { stock: 5 });
    await t.query('UPDATE products SET id = 999999 WHERE id = ?', [product.id]);
    expect(answer(await placeOrder(user.id, 999_999, 1, key))).toBe(answer(refused));
    expect(await ordersOf(user.id)).toBe(0);
  });

  it('answers given before the work ran are not stored: a retry after a 400 runs the work', async () => {
    const user = await makeUser(t.http, { balance: 100_000 });
    const product = await makeProduct(t.http, { stock: 5 });
    const key = newKey();
    const invalid = await t.http.post('/api/v1/orders').set(await authHeader(user.id)).set(HEADER, key).send({ userId: user.id, items: [] });
    expect(invalid.status).toBe(400);
    expect((await placeOrder(user.id, product.id, 1, key)).status).toBe(201);
    expect(await ordersOf(user.id)).toBe(1);
  });
});

async function processCount(t: TestApp, like: string): Promise<boolean> {
  const [row] = await t.query<{ n: number }>('SELECT COUNT(*) AS n FROM information_schema.processlist WHERE db = ? AND info LIKE ?', [
    t.config.database.name,
    like,
  ]);
  return Number(row.n) > 0;
}
