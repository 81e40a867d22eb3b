/**
 * Scale check for GET /api/v1/users/{userId}/orders (not a test): one scratch database holding a
 * user with a few orders and users with many (default 10 and 10,000; every status, a few unpaid
 * orders past their deadline that no sweep has reached), the built app started on it, and page 1
 * of each user's list — unfiltered and for each status — measured with one client, the users in
 * turns so the drift of a shared machine falls on all alike. Target: p50 for the largest history
 * ≤ 2 × p50 for the smallest, for every kind of page. Only 127.0.0.1 (the DB_* settings); the
 * scratch database is dropped at the end, also on Ctrl-C.
 *
 *   npm run orders:scale -- [--orders 10,10000] [--requests 1000]
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Connection, createConnection, ResultSetHeader } from 'mysql2/promise';
import { loadDatabaseConfig } from '../src/config/app-config';
import { prepareDatabase } from '../src/database/prepare-database';
import { AppProcess, freePort, startAppProcess } from './app-process';
import { BENCH_AUTH_ENV, BenchTokens } from './bench/tokens';
import { createDigitsTable, Latency, percentiles, sequenceSql } from './scale-support';

const PAGE_SIZE = 20;
const LINES_PER_ORDER = 2;
const KINDS = ['', 'PAID', 'EXPIRED', 'PENDING_PAYMENT', 'CANCELED', 'REFUNDED'] as const;

const { values: args } = parseArgs({ options: { orders: { type: 'string', default: '10,10000' }, requests: { type: 'string', default: '1000' } } });
const histories = args.orders.split(',').map(Number);
const requestCount = Number(args.requests);

const database = { ...loadDatabaseConfig(), name: `orders_scale_${randomBytes(4).toString('hex')}` };
if (!['127.0.0.1', 'localhost'].includes(database.host)) throw new Error('the scale check runs on a local database only');
const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

/**
 * User `userId`'s `count` orders, oldest first, in every status: most PAID, one in ten EXPIRED (swept),
 * one in twenty CANCELED, one in twenty REFUNDED, and the newest three unpaid — one of them past its
 * deadline without being swept — as a real history ends.
 */
const ORDER_STATUS_SQL = `CASE WHEN n >= ? - 3 THEN 'PENDING_PAYMENT' WHEN n % 10 = 0 THEN 'EXPIRED' WHEN n % 20 = 1 THEN 'CANCELED' WHEN n % 20 = 3 THEN 'REFUNDED' ELSE 'PAID' END`;

async function loadHistories(db: Connection): Promise<number[]> {
  await createDigitsTable(db);
  await db.query("INSERT INTO products (id, name, price, stock) VALUES (1, 'scale product', 1000, 1000000), (2, 'scale extra', 2000, 1000000)");
  await db.query('UPDATE product_count SET total = 2 WHERE id = 1');
  const userIds: number[] = [];
  for (const count of histories) {
    const [user] = await db.query<ResultSetHeader>("INSERT INTO users (name) VALUES ('scale user')");
    const userId = user.insertId;
    await db.query('INSERT INTO user_balances (user_id, balance) VALUES (?, 0)', [userId]);
    await db.query(
      `INSERT INTO orders (user_id, status, total_amount, discount_amount, pay_amount, coupon_id, created_at, expires_at, paid_at, canceled_at, refunded_at)
       SELECT ?, status, 5000, 0, 5000, NULL, at, IF(n = ? - 2, UTC_TIMESTAMP(3) - INTERVAL 1 SECOND, at + INTERVAL 15 MINUTE),
              IF(status IN ('PAID', 'REFUNDED'), at, NULL), IF(status = 'CANCELED', at, NULL), IF(status = 'REFUNDED', at, NULL)
       FROM (SELECT n, ${ORDER_STATUS_SQL} AS status, UTC_TIMESTAMP(3) - INTERVAL (? - n) MINUTE AS at FROM ${sequenceSql(String(count).length)} s WHERE n < ? ORDER BY n) o`,
      [userId, count, count, count, count],
    );
    await db.query(
      `INSERT INTO order_items (order_id, product_id, unit_price, quantity, line_amount)
       SELECT o.id, l.d + 1, 1000 * (l.d + 1), 1, 1000 * (l.d + 1) FROM orders o JOIN scale_digits l ON l.d < ${LINES_PER_ORDER} WHERE o.user_id = ?`,
      [userId],
    );
    userIds.push(userId);
    log(`user ${userId}: ${count.toLocaleString('en')} orders`);
  }
  await db.query('ANALYZE TABLE orders, order_items');
  return userIds;
}

async function measureInTurns(app: AppProcess, tokens: BenchTokens, userIds: number[], kind: string): Promise<Latency[]> {
  const call = async (userId: number) => {
    const url = `${app.url}/api/v1/users/${userId}/orders?limit=${PAGE_SIZE}${kind ? `&status=${kind}` : ''}`;
    const started = performance.now();
    const response = await fetch(url, { headers: tokens.headers(userId) });
    const body = (await response.json()) as { items?: unknown[] };
    const ms = performance.now() - started;
    if (response.status !== 200 || body.items === undefined) throw new Error(`${url} answered ${response.status} ${JSON.stringify(body)}`);
    return ms;
  };
  for (let i = 0; i < 100; i++) for (const userId of userIds) await call(userId);
  const latencies: number[][] = userIds.map(() => []);
  for (let i = 0; i < requestCount; i++) for (const [k, userId] of userIds.entries()) latencies[k].push(await call(userId));
  return latencies.map(percentiles);
}

async function main(): Promise<void> {
  log(`histories of ${histories.join(', ')} orders; ${requestCount} calls per user and kind of page`);
  await prepareDatabase(database);
  const db = await createConnection({ host: database.host, port: database.port, user: database.user, password: database.password, database: database.name });
  let app: AppProcess | undefined;
  const cleanUp = async () => {
    await app?.stop();
    await db.query(`DROP DATABASE IF EXISTS \`${database.name}\``);
    await db.end();
  };
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));
  try {
    const userIds = await loadHistories(db);
    // No sweep during the run: the unpaid order past its deadline stays for the EXPIRED filter to find.
    app = await startAppProcess({ ...BENCH_AUTH_ENV, DB_NAME: database.name, LOG_LEVEL: 'warn', RATE_LIMIT_PER_USER_PER_SECOND: '0' }, await freePort());
    const tokens = new BenchTokens();
    await tokens.sign(userIds);
    const rows: string[] = [];
    let worst = 0;
    for (const kind of KINDS) {
      const latencies = await measureInTurns(app, tokens, userIds, kind);
      const ratio = latencies[latencies.length - 1].p50 / latencies[0].p50;
      worst = Math.max(worst, ratio);
      rows.push(`| ${kind || '(all)'} | ${latencies.map((l) => `${l.p50.toFixed(2)} / ${l.p99.toFixed(2)}`).join(' | ')} | ${ratio.toFixed(2)} |`);
    }
    console.log(
      [
        '',
        `GET /api/v1/users/{userId}/orders?limit=${PAGE_SIZE}, page 1, one client, sequential calls: p50 / p99 in ms`,
        '',
        `| status | ${histories.map((n) => `${n.toLocaleString('en')} orders`).join(' | ')} | p50 largest ÷ smallest |`,
        `|---|${histories.map(() => '---|').join('')}---:|`,
        ...rows,
        '',
        `worst ratio ${worst.toFixed(2)} (target ≤ 2: ${worst <= 2 ? 'met' : 'NOT met'})`,
      ].join('\n'),
    );
  } finally {
    await cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
