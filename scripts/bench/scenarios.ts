import type { Request } from 'autocannon';
import type { Pool, PoolConnection, ResultSetHeader } from 'mysql2/promise';
import type { DatabaseConfig } from '../../src/config/app-config';
import { BaselineResult, measureDatabaseLimit, Transaction } from './db-baseline';
import { insertCoupon, insertProduct, insertUsers, roundRobin, scalar } from './fixtures';
import type { AppUsage } from './app-usage';
import type { MachineUsage } from './machine-usage';
import { LoadResult, runLoad } from './load';
import { BenchTokens } from './tokens';

export interface ScenarioResult {
  name: string;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  baselineRps: number;
  ratio: number;
  correct: boolean;
  /** What the baseline is and what the checks found. */
  notes: string;
  app?: AppUsage;
  machine?: MachineUsage;
  /** Requests one operation of the scenario takes (checkout: order + payment = 2). */
  requestsPerOperation?: number;
  cpuUsPerOperation?: number;
  /** CPU per operation ÷ the trivial route's CPU per request in the same run. */
  cpuRatioToTrivial?: number;
  cpuTargetRatio?: number;
  meetsCpuTarget?: boolean;
}

export interface BenchContext {
  url: string;
  db: Pool;
  database: DatabaseConfig;
  durationSec: number;
  connections: number;
  /** Requests/s of a trivial route of the same app (no database), measured once. */
  trivialRouteRps: number;
  /** Access tokens of the bench users (user-scoped routes need one). */
  tokens: BenchTokens;
  /** False when only the app's figures are wanted (bench:compare): no database baseline is measured. */
  databaseBaselines?: boolean;
}

/** The database's own limit for the scenario's transaction, unless the context wants none (then 0). */
function databaseBaseline(ctx: BenchContext, transaction: Transaction): Promise<BaselineResult> {
  return ctx.databaseBaselines === false ? Promise.resolve({ rps: 0, poolSize: 0 }) : measureDatabaseLimit(ctx.database, transaction);
}

function result(name: string, load: LoadResult, baselineRps: number, correct: boolean, notes: string): ScenarioResult {
  const errors = load.errors + Object.entries(load.statuses).filter(([status]) => Number(status) >= 500).reduce((sum, [, n]) => sum + n, 0);
  return { name, rps: load.rps, p50Ms: load.p50Ms, p99Ms: load.p99Ms, errors, baselineRps, ratio: round2(load.rps / baselineRps), correct, notes, app: load.app, machine: load.machine };
}

function issueRequest(ctx: BenchContext, req: Request, userId: number): Request {
  return { ...req, headers: ctx.tokens.headers(userId), body: JSON.stringify({ userId }) };
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const count = (load: LoadResult, status: number) => load.statuses[String(status)] ?? 0;

/**
 * A timed run stops with up to one request per connection in flight: the database may have done
 * that work while its answer was dropped. So `done` may exceed the answers seen by that much.
 */
const answeredAll = (done: number, answered: number, ctx: BenchContext) => done >= answered && done <= answered + ctx.connections;

/** Lets the app finish the requests whose answers the timed run dropped, before checking the data. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 2_000));

/** The database's limit for the issuing transaction on one hot coupon row (shared by both coupon scenarios). */
export async function couponHotRowLimit(ctx: BenchContext, users: number[]): Promise<number> {
  const couponIds = new Map<number, number>();
  const limit = await databaseBaseline(ctx, async (connection, worker, iteration) => {
    // One fresh coupon per pool size, so every (user, coupon) pair is new.
    const poolKey = Math.floor(worker / 1_000);
    if (!couponIds.has(poolKey)) couponIds.set(poolKey, await insertCoupon(ctx.db, 100_000_000));
    const userId = users[(worker * 7_919 + iteration) % users.length];
    await connection.query('START TRANSACTION');
    await connection.query(
      "INSERT INTO user_coupons (user_id, coupon_id, status, issued_at, expires_at) VALUES (?, ?, 'AVAILABLE', NOW(3), NOW(3) + INTERVAL 30 DAY)",
      [userId, couponIds.get(poolKey)],
    );
    await connection.query('UPDATE coupons SET issued_quantity = issued_quantity + 1 WHERE id = ? AND issued_quantity < total_quantity', [couponIds.get(poolKey)]);
    await connection.query('COMMIT');
  });
  return limit.rps;
}

export async function couponRush(ctx: BenchContext, users: number[], baselineRps: number): Promise<ScenarioResult> {
  const couponId = await insertCoupon(ctx.db, 10_000_000);
  const nextUser = roundRobin(users);
  const load = await runLoad({
    url: ctx.url,
    connections: ctx.connections,
    duration: ctx.durationSec,
    requests: [{ method: 'POST', path: `/api/v1/coupons/${couponId}/issue`, setupRequest: (req) => issueRequest(ctx, req, nextUser()) }],
  });
  await settle();
  const issued = await scalar(ctx.db, 'SELECT issued_quantity FROM coupons WHERE id = ?', [couponId]);
  const held = await scalar(ctx.db, 'SELECT COUNT(*) FROM user_coupons WHERE coupon_id = ?', [couponId]);
  const holders = await scalar(ctx.db, 'SELECT COUNT(DISTINCT user_id) FROM user_coupons WHERE coupon_id = ?', [couponId]);
  const correct = held === issued && holders === held && answeredAll(issued, count(load, 201), ctx);
  return result('coupon-rush', load, baselineRps, correct, `baseline: issuing transaction on one hot row via mysql2; issued ${issued}, rows ${held}, 201s ${count(load, 201)}`);
}

export async function sellOut(ctx: BenchContext, users: number[], baselineRps: number): Promise<ScenarioResult> {
  const quantity = 1_000;
  const requests = 20_000;
  const couponId = await insertCoupon(ctx.db, quantity);
  const nextUser = roundRobin(users);
  const load = await runLoad({
    url: ctx.url,
    connections: ctx.connections,
    amount: requests,
    requests: [{ method: 'POST', path: `/api/v1/coupons/${couponId}/issue`, setupRequest: (req) => issueRequest(ctx, req, nextUser()) }],
  });
  const issued = await scalar(ctx.db, 'SELECT issued_quantity FROM coupons WHERE id = ?', [couponId]);
  const held = await scalar(ctx.db, 'SELECT COUNT(*) FROM user_coupons WHERE coupon_id = ?', [couponId]);
  const correct = issued === quantity && held === quantity && count(load, 201) === quantity && count(load, 409) === load.total - quantity;
  return result('sell-out', load, baselineRps, correct, `${requests} requests for ${quantity} coupons: 201 ${count(load, 201)}, 409 ${count(load, 409)}, rows ${held}`);
}

interface CheckoutContext {
  userId?: number;
  orderId?: number;
}

/** The app's order transaction over mysql2: order row, its line, then the conditional stock UPDATE. Returns the order id. */
async function placeOrderDirectly(connection: PoolConnection, userId: number, productId: number, price: number): Promise<number> {
  await connection.query('START TRANSACTION');
  const [order] = await connection.query<ResultSetHeader>(
    "INSERT INTO orders (user_id, status, total_amount, discount_amount, pay_amount, created_at, expires_at) VALUES (?, 'PENDING_PAYMENT', ?, 0, ?, NOW(3), NOW(3) + INTERVAL 15 MINUTE)",
    [userId, price, price],
  );
  await connection.query('INSERT INTO order_items (order_id, product_id, unit_price, quantity, line_amount) VALUES (?, ?, ?, 1, ?)', [order.insertId, productId, price, price]);
  await connection.query('UPDATE products SET stock = stock - 1 WHERE id IN (?) AND stock >= 1', [productId]);
  await connection.query('COMMIT');
  return order.insertId;
}

/** The app's payment transaction over mysql2. */
async function payDirectly(connection: PoolConnection, userId: number, orderId: number, price: number): Promise<void> {
  await connection.query('START TRANSACTION');
  await connection.query('SELECT * FROM orders WHERE id = ? FOR UPDATE', [orderId]);
  await connection.query('SELECT * FROM user_balances WHERE user_id = ? FOR UPDATE', [userId]);
  await connection.query('UPDATE user_balances SET balance = balance - ? WHERE user_id = ?', [price, userId]);
  await connection.query("INSERT INTO balance_history (user_id, type, amount, balance_after, order_id) VALUES (?, 'PAYMENT', ?, 0, ?)", [userId, price, orderId]);
  await connection.query("UPDATE orders SET status = 'PAID', paid_at = NOW(3) WHERE id = ?", [orderId]);
  await connection.query("INSERT INTO payments (order_id, user_id, amount, status, paid_at) VALUES (?, ?, ?, 'PAID', NOW(3))", [orderId, userId, price]);
  await connection.query('COMMIT');
}

/** The app's refund transaction over mysql2: the order, its stock, the balance, the negative sale and the event. */
async function refundDirectly(connection: PoolConnection, userId: number, orderId: number, productId: number, price: number): Promise<void> {
  await connection.query('START TRANSACTION');
  await connection.query('SELECT * FROM orders WHERE id = ? FOR UPDATE', [orderId]);
  await connection.query("UPDATE orders SET status = 'REFUNDED', refunded_at = NOW(3) WHERE id = ? AND status = 'PAID'", [orderId]);
  await connection.query('SELECT * FROM order_items WHERE order_id = ?', [orderId]);
  await connection.query('UPDATE products SET stock = stock + 1 WHERE id IN (?)', [productId]);
  await connection.query('SELECT * FROM user_balances WHERE user_id = ? FOR UPDATE', [userId]);
  await connection.query('UPDATE user_balances SET balance = balance + ? WHERE user_id = ?', [price, userId]);
  await connection.query("INSERT INTO balance_history (user_id, type, amount, balance_after, order_id) VALUES (?, 'REFUND', ?, 0, ?)", [userId, price, orderId]);
  await connection.query('INSERT INTO product_sales_pending (product_id, quantity, paid_at) VALUES (?, -1, NOW(3))', [productId]);
  await connection.query("INSERT INTO outbox_events (event_id, type, order_id, payload) VALUES (UUID(), 'ORDER_REFUNDED', ?, '{}')", [orderId]);
  await connection.query('COMMIT');
}

/** A request of a connection's order → pay (→ cancel) sequence; none when the order was refused (the sequence restarts). */
const orderStep = (ctx: BenchContext, productId: number, nextUser: () => number): Request => ({
  method: 'POST',
  path: '/api/v1/orders',
  setupRequest: (req, context) => {
    const checkout = context as CheckoutContext;
    checkout.userId = nextUser();
    return { ...req, headers: ctx.tokens.headers(checkout.userId), body: JSON.stringify({ userId: checkout.userId, items: [{ productId, quantity: 1 }] }) };
  },
  onResponse: (status, body, context) => {
    (context as CheckoutContext).orderId = status === 201 ? JSON.parse(body).orderId : undefined;
  },
});
const afterOrderStep = (ctx: BenchContext, path: (orderId: number) => string, body: (checkout: Required<CheckoutContext>) => object): Request => ({
  method: 'POST',
  setupRequest: (req, context) => {
    const { orderId, userId } = context as CheckoutContext;
    return (orderId ? { ...req, path: path(orderId), headers: ctx.tokens.headers(userId!), body: JSON.stringify(body({ orderId, userId: userId! })) } : undefined) as Request;
  },
});

/** Balances of the users that disagree with their ledger: start − payments + refunds = the newest history row, never negative. */
const ledgerMismatches = (ctx: BenchContext, users: number[], start: number) =>
  scalar(
    ctx.db,
    `SELECT COUNT(*) FROM user_balances b
       JOIN (SELECT user_id, MAX(id) AS last_id FROM balance_history GROUP BY user_id) h ON h.user_id = b.user_id
       JOIN balance_history last ON last.id = h.last_id
      WHERE b.user_id BETWEEN ? AND ? AND (last.balance_after <> b.balance OR b.balance < 0
        OR b.balance <> ? - (SELECT COALESCE(SUM(amount), 0) FROM payments p WHERE p.user_id = b.user_id)
                          + (SELECT COALESCE(SUM(amount), 0) FROM balance_history r WHERE r.user_id = b.user_id AND r.type = 'REFUND'))`,
    [users[0], users[users.length - 1], start],
  );

/** Units of the product still held by unpaid or paid orders. */
const heldUnits = (ctx: BenchContext, productId: number) =>
  scalar(ctx.db, "SELECT COALESCE(SUM(i.quantity), 0) FROM order_items i JOIN orders o ON o.id = i.order_id WHERE i.product_id = ? AND o.status IN ('PENDING_PAYMENT', 'PAID')", [productId]);

/** Order + payment of one hot product by many users; each connection alternates the two. */
export async function checkout(ctx: BenchContext): Promise<ScenarioResult> {
  const price = 1_000;
  const initialStock = 1_000_000;
  const productId = await insertProduct(ctx.db, price, initialStock);
  const users = await insertUsers(ctx.db, 2_000, 10_000_000);
  await ctx.tokens.sign(users);
  const baselineUsers = await insertUsers(ctx.db, 2_000, 10_000_000);
  const baselineProduct = await insertProduct(ctx.db, price, 100_000_000);

  const baseline = await databaseBaseline(ctx, async (connection, worker, iteration) => {
    const userId = baselineUsers[(worker * 31 + iteration) % baselineUsers.length];
    const orderId = await placeOrderDirectly(connection, userId, baselineProduct, price);
    await payDirectly(connection, userId, orderId, price);
  });

  const nextUser = roundRobin(users);
  const load = await runLoad({
    url: ctx.url,
    connections: ctx.connections,
    duration: ctx.durationSec,
    requests: [orderStep(ctx, productId, nextUser), afterOrderStep(ctx, () => '/api/v1/payments', (checkout) => checkout)],
  });

  await settle();
  const stock = await scalar(ctx.db, 'SELECT stock FROM products WHERE id = ?', [productId]);
  const ordered = await heldUnits(ctx, productId);
  const orders = await scalar(ctx.db, 'SELECT COUNT(*) FROM order_items WHERE product_id = ?', [productId]);
  const paid = await scalar(ctx.db, 'SELECT COUNT(*) FROM payments p JOIN order_items i ON i.order_id = p.order_id WHERE i.product_id = ?', [productId]);
  const paidOrders = await scalar(ctx.db, "SELECT COUNT(*) FROM orders o JOIN order_items i ON i.order_id = o.id WHERE i.product_id = ? AND o.status = 'PAID'", [productId]);
  const mismatches = await ledgerMismatches(ctx, users, 10_000_000);
  // Every 201 is either a placed order or a payment; nothing else may have happened.
  const correct = stock >= 0 && stock + ordered === initialStock && answeredAll(orders + paid, count(load, 201), ctx) && paidOrders === paid && mismatches === 0;
  return result(
    'checkout',
    load,
    baseline.rps,
    correct,
    `baseline: order + payment transactions via mysql2 (pool ${baseline.poolSize}); stock ${stock} + ordered ${ordered} = ${initialStock}; orders ${orders}, paid ${paid}; ledger mismatches ${mismatches}`,
  );
}

/** Order, payment and cancel (a refund) of one hot product by many users; each connection runs the three in turn. */
export async function refund(ctx: BenchContext): Promise<ScenarioResult> {
  const price = 1_000;
  const initialStock = 1_000_000;
  const productId = await insertProduct(ctx.db, price, initialStock);
  const users = await insertUsers(ctx.db, 2_000, 10_000_000);
  await ctx.tokens.sign(users);
  const baselineUsers = await insertUsers(ctx.db, 2_000, 10_000_000);
  const baselineProduct = await insertProduct(ctx.db, price, 100_000_000);

  const baseline = await databaseBaseline(ctx, async (connection, worker, iteration) => {
    const userId = baselineUsers[(worker * 31 + iteration) % baselineUsers.length];
    const orderId = await placeOrderDirectly(connection, userId, baselineProduct, price);
    await payDirectly(connection, userId, orderId, price);
    await refundDirectly(connection, userId, orderId, baselineProduct, price);
  });

  const nextUser = roundRobin(users);
  const load = await runLoad({
    url: ctx.url,
    connections: ctx.connections,
    duration: ctx.durationSec,
    requests: [
      orderStep(ctx, productId, nextUser),
      afterOrderStep(ctx, () => '/api/v1/payments', (checkout) => checkout),
      afterOrderStep(ctx, (orderId) => `/api/v1/orders/${orderId}/cancel`, ({ userId }) => ({ userId })),
    ],
  });

  await settle();
  const stock = await scalar(ctx.db, 'SELECT stock FROM products WHERE id = ?', [productId]);
  const held = await heldUnits(ctx, productId);
  const orders = await scalar(ctx.db, 'SELECT COUNT(*) FROM order_items WHERE product_id = ?', [productId]);
  const paid = await scalar(ctx.db, 'SELECT COUNT(*) FROM payments p JOIN order_items i ON i.order_id = p.order_id WHERE i.product_id = ?', [productId]);
  const refunded = await scalar(ctx.db, "SELECT COUNT(*) FROM orders o JOIN order_items i ON i.order_id = o.id WHERE i.product_id = ? AND o.status = 'REFUNDED'", [productId]);
  const refunds = await scalar(ctx.db, "SELECT COUNT(*) FROM balance_history h JOIN order_items i ON i.order_id = h.order_id WHERE i.product_id = ? AND h.type = 'REFUND'", [productId]);
  const mismatches = await ledgerMismatches(ctx, users, 10_000_000);
  // Every 201 is a placed order or a payment, every 200 a refund; nothing else may have happened.
  const correct =
    stock + held === initialStock && refunds === refunded && answeredAll(orders + paid, count(load, 201), ctx) && answeredAll(refunded, count(load, 200), ctx) && mismatches === 0;
  return result(
    'refund',
    load,
    baseline.rps,
    correct,
    `baseline: order + payment + refund transactions via mysql2 (pool ${baseline.poolSize}); stock ${stock} + held ${held} = ${initialStock}; orders ${orders}, paid ${paid}, refunded ${refunded} (REFUND rows ${refunds}); ledger mismatches ${mismatches}`,
  );
}

export async function charges(ctx: BenchContext): Promise<ScenarioResult> {
  const amount = 1_000;
  const users = await insertUsers(ctx.db, 20_000);
  await ctx.tokens.sign(users);
  const baselineUsers = await insertUsers(ctx.db, 20_000);
  const baseline = await databaseBaseline(ctx, async (connection, worker, iteration) => {
    const userId = baselineUsers[(worker * 7_919 + iteration) % baselineUsers.length];
    await connection.query('START TRANSACTION');
    await connection.query('SELECT * FROM user_balances WHERE user_id = ? FOR UPDATE', [userId]);
    await connection.query('UPDATE user_balances SET balance = balance + ? WHERE user_id = ?', [amount, userId]);
    await connection.query("INSERT INTO balance_history (user_id, type, amount, balance_after) VALUES (?, 'CHARGE', ?, 0)", [userId, amount]);
    await connection.query('COMMIT');
  });

  const nextUser = roundRobin(users);
  const load = await runLoad({
    url: ctx.url,
    connections: ctx.connections,
    duration: ctx.durationSec,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const userId = nextUser();
          return { ...req, path: `/api/v1/users/${userId}/balance/charge`, headers: ctx.tokens.headers(userId), body: JSON.stringify({ amount }) };
        },
      },
    ],
  });
  await settle();
  const range = [users[0], users[users.length - 1]];
  const total = await scalar(ctx.db, 'SELECT COALESCE(SUM(balance), 0) FROM user_balances WHERE user_id BETWEEN ? AND ?', range);
  const historyRows = await scalar(ctx.db, 'SELECT COUNT(*) FROM balance_history WHERE user_id BETWEEN ? AND ?', range);
  const correct = total === historyRows * amount && answeredAll(historyRows, count(load, 200), ctx);
  return result('charges', load, baseline.rps, correct, `baseline: charge transaction on distinct rows via mysql2 (pool ${baseline.poolSize}); 200s ${count(load, 200)}, history rows ${historyRows}`);
}

export async function productPage(ctx: BenchContext, productIds: number[]): Promise<ScenarioResult> {
  const nextProduct = roundRobin(productIds);
  const load = await runLoad({
    url: ctx.url,
    connections: ctx.connections,
    duration: ctx.durationSec,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/v1/products/${nextProduct()}` }) }],
  });
  const correct = count(load, 200) === load.total;
  return result('product-page', load, ctx.trivialRouteRps, correct, `baseline: GET /health/live of the same app; 200s ${count(load, 200)} of ${load.total}`);
}

export async function topProducts(ctx: BenchContext): Promise<ScenarioResult> {
  const url = `${ctx.url}/api/v1/products/top`;
  const expected = (await (await fetch(url)).json()) as { items?: unknown[] };
  const load = await runLoad({ url, connections: ctx.connections, duration: ctx.durationSec });
  // At 100 connections p99 is mostly queueing on the event loop; 4 connections show the endpoint's own latency.
  const light = await runLoad({ url, connections: 4, duration: 5 });
  const correct = count(load, 200) === load.total && Array.isArray(expected.items) && expected.items.length > 0;
  return result(
    'top-products',
    load,
    ctx.trivialRouteRps,
    correct,
    `baseline: GET /health/live of the same app; ${expected.items?.length ?? 0} items ranked; at 4 connections p50 ${light.p50Ms} ms, p99 ${light.p99Ms} ms`,
  );
}
