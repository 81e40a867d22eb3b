import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createApp } from '../src/app.setup';
import { OrderExpiryJob } from '../src/order/order-expiry.job';
import { RankingRollupJob } from '../src/ranking/ranking-rollup.job';
import { RankingRepository } from '../src/ranking/ranking.repository';
import { windowStart } from '../src/ranking/ranking.rules';
import { RankingService } from '../src/ranking/ranking.service';
import { makeProduct, makeUser, ProductFixture } from './support/factories';
import { authHeader, bearerSync } from './support/auth';
import { startTestApp, TestApp, useTestApp } from './support/test-app';

type Line = { productId: number; quantity: number };
const HOUR_MS = 3_600_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('top products (e2e)', () => {
  // No background roll-up here: each test decides when lines are rolled up, to show the
  // answer is the same before and after.
  const t = useTestApp({ RANKING_CACHE_TTL_SECONDS: '0', RANKING_ROLLUP_INTERVAL_MS: '0' });
  let rollUp: RankingRollupJob;

  beforeAll(() => {
    rollUp = t.app.get(RankingRollupJob);
  });

  // Every test starts from no sales at all; the state row is held so no roll-up runs meanwhile.
  beforeEach(async () => {
    await t.dataSource.transaction(async (manager) => {
      await manager.query('SELECT id FROM product_sales_rollup_state FOR UPDATE');
      for (const table of ['product_sales_pending', 'product_sales_hourly', 'product_sales_windows']) await manager.query(`DELETE FROM ${table}`);
    });
  });

  const top = (query = '') => t.http.get(`/api/v1/products/top${query}`);
  const items = async (query = '') => (await top(query).expect(200)).body.items;
  const sold = async (query = '?limit=100') => (await items(query)).map((i: { productId: number; soldQuantity: number }) => [i.productId, i.soldQuantity]);

  async function placeOrder(userId: number, lines: Line[]): Promise<number> {
    return (await t.http.post('/api/v1/orders').set(await authHeader(userId)).send({ userId, items: lines }).expect(201)).body.orderId;
  }
  async function placeAndPay(userId: number, lines: Line[]): Promise<number> {
    const orderId = await placeOrder(userId, lines);
    await t.http.post('/api/v1/payments').set(await authHeader(userId)).send({ orderId, userId }).expect(201);
    return orderId;
  }
  async function products(count: number): Promise<ProductFixture[]> {
    const made: ProductFixture[] = [];
    for (let i = 0; i < count; i++) made.push(await makeProduct(t.http, { price: 1_000 + i, stock: 10_000 }));
    return made;
  }
  const insertPending = (productId: number, quantity: number, paidAt: Date) =>
    t.query('INSERT INTO product_sales_pending (product_id, quantity, paid_at) VALUES (?, ?, ?)', [productId, quantity, paidAt]);

  it('ranks products by units in paid orders, ties by lower productId, rank 1-based', async () => {
    const user = await makeUser(t.http, { balance: 1_000_000 });
    const [a, b, c, d, e] = await products(5);
    await placeAndPay(user.id, [{ productId: c.id, quantity: 5 }]);
    await placeAndPay(user.id, [{ productId: a.id, quantity: 2 }, { productId: b.id, quantity: 4 }]);
    await placeAndPay(user.id, [{ productId: a.id, quantity: 3 }, { productId: b.id, quantity: 3 }, { productId: d.id, quantity: 1 }]);

    const expected = [
      { rank: 1, productId: b.id, name: b.name, price: b.price, soldQuantity: 7 },
      { rank: 2, productId: a.id, name: a.name, price: a.price, soldQuantity: 5 },
      { rank: 3, productId: c.id, name: c.name, price: c.price, soldQuantity: 5 },
      { rank: 4, productId: d.id, name: d.name, price: d.price, soldQuantity: 1 },
    ];
    // Counted at once (from the not yet rolled-up lines), and the same once rolled up.
    expect((await top().expect(200)).body).toEqual({ items: expected });
    expect(await rollUp.rollUp()).toBe(6);
    expect((await top('?days=3&limit=5').expect(200)).body).toEqual({ items: expected });
    expect(await items('?limit=2')).toEqual(expected.slice(0, 2));
    expect((await items('?days=1&limit=100')).map((i: { productId: number }) => i.productId)).not.toContain(e.id);
  });

  it('counts neither unpaid nor expired orders', async () => {
    const user = await makeUser(t.http, { balance: 1_000_000 });
    const [paid, unpaid, expired] = await products(3);
    await placeAndPay(user.id, [{ productId: paid.id, quantity: 1 }]);
    await placeOrder(user.id, [{ productId: unpaid.id, quantity: 50 }]);
    const expiredOrder = await placeOrder(user.id, [{ productId: expired.id, quantity: 50 }]);
    await t.query('UPDATE orders SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [expiredOrder]);
    await t.app.get(OrderExpiryJob).expireDueOrders();
    await t.http.post('/api/v1/payments').set(await authHeader(user.id)).send({ orderId: expiredOrder, userId: user.id }).expect(409);

    expect(await sold()).toEqual([[paid.id, 1]]);
    await rollUp.rollUp();
    expect(await sold()).toEqual([[paid.id, 1]]);
  });

  it('counts a payment the moment it commits (RANKING_CACHE_TTL_SECONDS=0)', async () => {
    const user = await makeUser(t.http, { balance: 1_000_000 });
    const [a, b] = await products(2);
    await placeAndPay(user.id, [{ productId: a.id, quantity: 3 }]);
    await rollUp.rollUp();
    await placeAndPay(user.id, [{ productId: b.id, quantity: 2 }]);
    expect(await sold()).toEqual([[a.id, 3], [b.id, 2]]);

    await placeAndPay(user.id, [{ productId: b.id, quantity: 2 }]);
    expect(await sold()).toEqual([[b.id, 4], [a.id, 3]]);
  });

  it('neither loses nor double counts lines a roll-up moves between the two reads of a request', async () => {
    const user = await makeUser(t.http, { balance: 1_000_000 });
    const [a, b] = await products(2);
    await placeAndPay(user.id, [{ productId: a.id, quantity: 2 }]);
    await rollUp.rollUp();
    await placeAndPay(user.id, [{ productId: b.id, quantity: 3 }]);

    const repository = t.app.get(RankingRepository);
    const findWindowDeltas = repository.findWindowDeltas.bind(repository);
    const reads = jest.spyOn(repository, 'findWindowDeltas').mockImplementation(async (...args) => {
      const read = await findWindowDeltas(...args);
      if (reads.mock.calls.length === 1) expect(await rollUp.rollUp()).toBe(1);
      return read;
    });
    try {
      expect(await sold()).toEqual([[b.id, 3], [a.id, 2]]);
      expect(reads).toHaveBeenCalledTimes(2);
    } finally {
      reads.mockRestore();
    }
  });

  describe('refunds', () => {
    const refund = (userId: number, orderId: number) => t.http.post(`/api/v1/orders/${orderId}/cancel`).set(bearerSync(userId)).send({ userId }).expect(200);
    const windowRows = (days: number) =>
      t.query<{ productId: number; quantity: number }>('SELECT product_id AS productId, quantity FROM product_sales_windows WHERE days = ? AND quantity <> 0 ORDER BY quantity DESC, product_id', [days]);

    it("take a refunded order's units out at once, before and after the roll-up, in every window", async () => {
      const user = await makeUser(t.http, { balance: 1_000_000 });
      const [a, b] = await products(2);
      const rolled = await placeAndPay(user.id, [{ productId: a.id, quantity: 5 }, { productId: b.id, quantity: 1 }]);
      await placeAndPay(user.id, [{ productId: a.id, quantity: 2 }]);
      await rollUp.rollUp();
      const live = await placeAndPay(user.id, [{ productId: b.id, quantity: 4 }]);
      expect(await sold()).toEqual([[a.id, 7], [b.id, 5]]);

      // One refund of a rolled-up order, one of an order still in the live tail.
      await refund(user.id, rolled);
      await refund(user.id, live);
      expect(await sold()).toEqual([[a.id, 2]]);
      for (const days of [1, 3, 30]) expect(await sold(`?days=${days}&limit=100`)).toEqual([[a.id, 2]]);

      await rollUp.rollUp();
      expect(await sold()).toEqual([[a.id, 2]]);
      for (const days of [1, 3, 30]) expect((await windowRows(days)).map((r) => [Number(r.productId), Number(r.quantity)])).toEqual([[a.id, 2]]);
    });

    it('take the units out of the windows the sale was counted in: the hour it was paid, not the hour of the refund', async () => {
      const user = await makeUser(t.http, { balance: 1_000_000 });
      const [old, recent] = await products(2);
      const oldOrder = await placeAndPay(user.id, [{ productId: old.id, quantity: 6 }]);
      // The first order was paid two days ago: it counts in the 3-day window, not in the 1-day one.
      await t.query('UPDATE orders SET paid_at = paid_at - INTERVAL 2 DAY WHERE id = ?', [oldOrder]);
      await t.query('UPDATE product_sales_pending SET paid_at = paid_at - INTERVAL 2 DAY WHERE product_id = ?', [old.id]);
      await placeAndPay(user.id, [{ productId: old.id, quantity: 2 }]);
      await placeAndPay(user.id, [{ productId: recent.id, quantity: 3 }]);
      await rollUp.rollUp();
      expect(await sold('?days=1&limit=100')).toEqual([[recent.id, 3], [old.id, 2]]);
      expect(await sold('?days=3&limit=100')).toEqual([[old.id, 8], [recent.id, 3]]);

      await refund(user.id, oldOrder);

      // Counted against the hour it was paid, the refund leaves the 1-day window as it was.
      expect(await sold('?days=1&limit=100')).toEqual([[recent.id, 3], [old.id, 2]]);
      expect(await sold('?days=3&limit=100')).toEqual([[recent.id, 3], [old.id, 2]]);
      await rollUp.rollUp();
      expect(await sold('?days=1&limit=100')).toEqual([[recent.id, 3], [old.id, 2]]);
      expect(await sold('?days=3&limit=100')).toEqual([[recent.id, 3], [old.id, 2]]);
    });

    it('stay exact while roll-ups move lines: refunds and roll-ups at the same time', async () => {
      const [a, b, c] = await products(3);
      const users = await Promise.all(Array.from({ length: 24 }, () => makeUser(t.http, { balance: 1_000_000 })));
      const orders = await Promise.all(users.map((user, i) => placeAndPay(user.id, [{ productId: [a, b, c][i % 3].id, quantity: 1 + (i % 5) }])));
      await rollUp.rollUp();
      // A second wave in the live tail, then every other order refunded while roll-ups run.
      const more = await Promise.all(users.map((user, i) => placeAndPay(user.id, [{ productId: [a, b, c][(i + 1) % 3].id, quantity: 2 }])));
      const refunded = new Set(users.map((_, i) => i).filter((i) => i % 2 === 0));
      await Promise.all([
        ...[...refunded].flatMap((i) => [refund(users[i].id, orders[i]), refund(users[i].id, more[i])]),
        rollUp.rollUp(),
        sleep(10).then(() => rollUp.rollUp()),
        sleep(30).then(() => rollUp.rollUp()),
      ]);
      await rollUp.rollUp();

      const expected = new Map([[a.id, 0], [b.id, 0], [c.id, 0]]);
      users.forEach((_, i) => {
        if (refunded.has(i)) return;
        const first = [a, b, c][i % 3].id;
        const second = [a, b, c][(i + 1) % 3].id;
        expected.set(first, expected.get(first)! + 1 + (i % 5));
        expected.set(second, expected.get(second)! + 2);
      });
      const want = [...expected].filter(([, q]) => q > 0).sort(([idA, x], [idB, y]) => y - x || idA - idB);
      expect(await sold()).toEqual(want);
      for (const days of [1, 30]) expect((await windowRows(days)).map((r) => [Number(r.productId), Number(r.quantity)])).toEqual(want);
      expect(await t.query('SELECT id FROM product_sales_pending')).toEqual([]);
    });
  });

  describe('window edge: sales paid at or after the top of the hour `days × 24 h` ago count', () => {
    const ranking = () => t.app.get(RankingService);
    const soldAt = async (days: number, now: Date) =>
      (await ranking().computeTopProducts(days, 100, now)).map((p) => [p.productId, p.soldQuantity]);

    it('is the same from pending lines, rolled-up windows, and windows behind or ahead of the query', async () => {
      const [inside, outside, recent] = await products(3);
      const now = new Date();
      const start = windowStart(now, 1);
      await insertPending(inside.id, 4, start);
      await insertPending(outside.id, 9, new Date(start.getTime() - 1));
      await insertPending(recent.id, 2, now);
      const oneDay = [[inside.id, 4], [recent.id, 2]];
      const twoDays = [[outside.id, 9], [inside.id, 4], [recent.id, 2]];

      expect(await soldAt(1, now)).toEqual(oneDay);
      expect(await soldAt(2, now)).toEqual(twoDays);

      await rollUp.rollUp(now);
      expect(await soldAt(1, now)).toEqual(oneDay);
      expect(await soldAt(2, now)).toEqual(twoDays);

      // An hour later `inside` falls out of the 1-day window, whether or not the roll-up has
      // moved the windows to that hour yet.
      const hourLater = new Date(now.getTime() + HOUR_MS);
      expect(await soldAt(1, hourLater)).toEqual([[recent.id, 2]]);
      await rollUp.rollUp(hourLater);
      expect(await soldAt(1, hourLater)).toEqual([[recent.id, 2]]);
      expect(await soldAt(2, hourLater)).toEqual(twoDays);
      // Windows ahead of the reader (another instance's clock) are corrected back.
      expect(await soldAt(1, now)).toEqual(oneDay);
    });

    it('a sale paid a moment ago counts in the 1-day window through the API', async () => {
      const [product] = await products(1);
      await insertPending(product.id, 1, new Date(Date.now() - 1_000));
      expect(await sold('?days=1')).toEqual([[product.id, 1]]);
    });
  });

  it('rolls up each line exactly once, with roll-ups and payments running at the same time', async () => {
    const [a, b, c] = await products(3);
    const users = await Promise.all(Array.from({ length: 30 }, () => makeUser(t.http, { balance: 1_000_000 })));
    const orders = await Promise.all(
      users.map((user, i) => placeOrder(user.id, [{ productId: [a, b, c][i % 3].id, quantity: 1 + (i % 4) }])),
    );
    // 2,500 more lines, so the roll-ups take several batches.
    const paidAt = new Date();
    await t.query(
      `INSERT INTO product_sales_pending (product_id, quantity, paid_at) VALUES ${Array(2_500).fill('(?, 1, ?)').join(', ')}`,
      Array.from({ length: 2_500 }, () => [c.id, paidAt]).flat(),
    );

    const [payments, counts] = await Promise.all([
      Promise.all(users.map((user, i) => t.http.post('/api/v1/payments').set(bearerSync(user.id)).send({ orderId: orders[i], userId: user.id }))),
      Promise.all([rollUp.rollUp(), rollUp.rollUp(), sleep(20).then(() => rollUp.rollUp())]),
    ]);
    expect(payments.map((r) => r.status)).toEqual(Array(30).fill(201));
    const finalCount = await rollUp.rollUp();

    const expected = new Map([[a.id, 0], [b.id, 0], [c.id, 2_500]]);
    users.forEach((_, i) => {
      const id = [a, b, c][i % 3].id;
      expected.set(id, expected.get(id)! + 1 + (i % 4));
    });
    const want = [...expected].sort(([idA, x], [idB, y]) => y - x || idA - idB);
    expect([...counts, finalCount].reduce((sum, n) => sum + n, 0)).toBe(2_530);
    expect(await t.query('SELECT id FROM product_sales_pending')).toEqual([]);
    const hourly = await t.query<{ productId: number; quantity: number }>(
      'SELECT product_id AS productId, SUM(quantity) AS quantity FROM product_sales_hourly GROUP BY product_id ORDER BY quantity DESC, product_id',
    );
    expect(hourly.map((r) => [Number(r.productId), Number(r.quantity)])).toEqual(want);
    for (const days of [1, 3, 30]) {
      const windows = await t.query<{ productId: number; quantity: number }>(
        'SELECT product_id AS productId, quantity FROM product_sales_windows WHERE days = ? ORDER BY quantity DESC, product_id',
        [days],
      );
      expect(windows.map((r) => [Number(r.productId), Number(r.quantity)])).toEqual(want);
    }
    expect(await sold()).toEqual(want);
  });

  describe('input', () => {
    it.each([
      ['days=0', 'days'],
      ['days=31', 'days'],
      ['days=1.5', 'days'],
      ['days=abc', 'days'],
      ['days=-1', 'days'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=2.5', 'limit'],
      ['limit=1e2', 'limit'],
      ['page=1', 'page'],
    ])('?%s → 400 VALIDATION_FAILED naming %s', async (query, field) => {
      const response = await top(`?${query}`).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', message: expect.stringContaining(field) });
    });

    it('accepts the bounds', async () => {
      await top('?days=1&limit=1').expect(200);
      await top('?days=30&limit=100').expect(200);
    });

    it('is routed apart from GET /products/{productId}', async () => {
      const [product] = await products(1);
      expect((await top().expect(200)).body).toEqual({ items: [] });
      expect((await t.http.get(`/api/v1/products/${product.id}`).expect(200)).body.id).toBe(product.id);
      expect((await t.http.get('/api/v1/products/topp').expect(400)).body.code).toBe('VALIDATION_FAILED');
    });
  });
});

describe('top products with a cache TTL (e2e)', () => {
  const TTL_SECONDS = 2;
  let t: TestApp;
  let second: NestExpressApplication;

  beforeAll(async () => {
    t = await startTestApp({ RANKING_CACHE_TTL_SECONDS: String(TTL_SECONDS) });
    // A second instance on the same database, with its own cache and its own roll-up job.
    second = await createApp(t.config);
    await second.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await second.close();
    await t.close();
  });

  const soldVia = async (app: NestExpressApplication) =>
    (await request(app.getHttpServer()).get('/api/v1/products/top').expect(200)).body.items.map(
      (i: { productId: number; soldQuantity: number }) => [i.productId, i.soldQuantity],
    );

  it('serves a result for at most the TTL on every instance, then a fresh one', async () => {
    const user = await makeUser(t.http, { balance: 1_000_000 });
    const product = await makeProduct(t.http, { price: 1_000 });
    const payOne = async () => {
      const order = await t.http.post('/api/v1/orders').set(await authHeader(user.id)).send({ userId: user.id, items: [{ productId: product.id, quantity: 1 }] }).expect(201);
      await t.http.post('/api/v1/payments').set(await authHeader(user.id)).send({ orderId: order.body.orderId, userId: user.id }).expect(201);
    };

    await payOne();
    const computedAt = Date.now();
    expect(await soldVia(t.app)).toEqual([[product.id, 1]]);
    expect(await soldVia(second)).toEqual([[product.id, 1]]);
    await payOne();
    expect(await soldVia(t.app)).toEqual([[product.id, 1]]);
    expect(await soldVia(second)).toEqual([[product.id, 1]]);
    expect(Date.now() - computedAt).toBeLessThan(TTL_SECONDS * 1_000);

    await sleep(TTL_SECONDS * 1_000 - (Date.now() - computedAt) + 300);
    expect(await soldVia(t.app)).toEqual([[product.id, 2]]);
    expect(await soldVia(second)).toEqual([[product.id, 2]]);
  });

  it('when the entry expires under load, concurrent requests share one database read', async () => {
    const service = t.app.get(RankingService);
    await t.http.get('/api/v1/products/top?days=7').expect(200);
    await sleep(TTL_SECONDS * 1_000 + 100);
    const compute = jest.spyOn(service, 'computeTopProducts');

    const responses = await Promise.all(Array.from({ length: 20 }, () => t.http.get('/api/v1/products/top?days=7')));

    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(compute).toHaveBeenCalledTimes(1);
    compute.mockRestore();
  });

  it('the background roll-up empties the pending lines within moments', async () => {
    const user = await makeUser(t.http, { balance: 100_000 });
    const product = await makeProduct(t.http, { price: 1_000 });
    const order = await t.http.post('/api/v1/orders').set(await authHeader(user.id)).send({ userId: user.id, items: [{ productId: product.id, quantity: 1 }] }).expect(201);
    await t.http.post('/api/v1/payments').set(await authHeader(user.id)).send({ orderId: order.body.orderId, userId: user.id }).expect(201);

    const deadline = Date.now() + 5_000;
    while ((await t.query('SELECT id FROM product_sales_pending')).length > 0 && Date.now() < deadline) await sleep(100);
    expect(await t.query('SELECT id FROM product_sales_pending')).toEqual([]);
    const [row] = await t.query<{ quantity: number }>('SELECT quantity FROM product_sales_windows WHERE days = 3 AND product_id = ?', [product.id]);
    expect(Number(row.quantity)).toBe(1);
  });
});
