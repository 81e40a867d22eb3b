/**
 * Scale check for GET /api/v1/products/top (not a test): on a scratch database of its own, loads
 * paid orders over the last 30 days in steps (default 100k, 1M, 10M order lines), builds the
 * ranking aggregates, starts the built app on that database with RANKING_CACHE_TTL_SECONDS=0 and
 * measures the endpoint, then times the plain GROUP BY over the order lines for comparison.
 * The scratch database is dropped at the end.
 *
 *   npm run ranking:scale -- [--sizes 100000,1000000,10000000] [--products 1000] [--tail 50] [--requests 2000]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Connection, createConnection, RowDataPacket } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config';
import { BENCH_AUTH_ENV } from './bench/tokens';
import { createDigitsTable, sequenceSql } from './scale-support';
import { freePort } from './app-process';
import { databaseOptions } from '../src/database/database-options';
import { prepareDatabase } from '../src/database/prepare-database';
import { bucketHourSql, RankingRepository } from '../src/ranking/ranking.repository';
import { RankingService } from '../src/ranking/ranking.service';

const LINES_PER_ORDER = 5;
const ORDERS_PER_CHUNK = 200_000;
const WINDOW_SECONDS = 30 * 24 * 3600;
/** [days, limit] pairs measured. */
const queries = [
  [3, 5],
  [30, 100],
];

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000,10000000' },
    products: { type: 'string', default: '1000' },
    tail: { type: 'string', default: '50' },
    requests: { type: 'string', default: '2000' },
  },
});
const sizes = args.sizes.split(',').map(Number);
const productCount = Number(args.products);
const tailLines = Number(args.tail);
const requestCount = Number(args.requests);

const config = loadConfig({ ...process.env, ...BENCH_AUTH_ENV, DB_NAME: `ranking_scale_${randomBytes(4).toString('hex')}`, LOG_LEVEL: 'silent' });
const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  log(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

async function createCatalogue(db: Connection): Promise<void> {
  await createDigitsTable(db);
  await db.query("INSERT INTO users (id, name) VALUES (1, 'scale')");
  await db.query(
    `INSERT INTO products (id, name, price, stock) SELECT n + 1, CONCAT('product ', n + 1), 1000 + n, 1000000 FROM ${sequenceSql(7)} s WHERE n < ?`,
    [productCount],
  );
}

/**
 * Appends orders `fromOrder..toOrder - 1` (9 in 10 PAID, paid_at spread over 30 days) with 5 lines
 * each, skewed to low product ids, and adds their paid lines to the hourly buckets.
 */
async function loadOrders(db: Connection, fromOrder: number, toOrder: number): Promise<void> {
  for (let start = fromOrder; start < toOrder; start += ORDERS_PER_CHUNK) {
    const end = Math.min(start + ORDERS_PER_CHUNK, toOrder);
    await db.query(
      `INSERT INTO orders (id, user_id, status, total_amount, discount_amount, pay_amount, coupon_id, created_at, expires_at, paid_at)
       SELECT id, 1, IF(id % 10 = 0, 'EXPIRED', 'PAID'), 5000, 0, 5000, NULL, at, at + INTERVAL 15 MINUTE, IF(id % 10 = 0, NULL, at)
       FROM (SELECT ? + n AS id, UTC_TIMESTAMP(3) - INTERVAL ((? + n) * 7919 % ?) SECOND AS at FROM ${sequenceSql(6)} s WHERE n < ?) o`,
      [start, start, WINDOW_SECONDS, end - start],
    );
    // Knuth's multiplicative hash gives a uniform h in [0, 1); h^3 makes low product ids best sellers.
    await db.query(
      `INSERT INTO order_items (order_id, product_id, unit_price, quantity, line_amount)
       SELECT o.id, product_id, 1000, quantity, 1000 * quantity FROM (
         SELECT o.id, 1 + FLOOR(? * POW((o.id * ${LINES_PER_ORDER} + l.d) * 2654435761 % 4294967296 / 4294967296, 3)) AS product_id,
                1 + (o.id + l.d) % 3 AS quantity
         FROM orders o JOIN scale_digits l ON l.d < ${LINES_PER_ORDER}
         WHERE o.id >= ? AND o.id < ?
       ) o`,
      [productCount, start, end],
    );
    await addToHourly(db, start, end);
  }
}

/** The new paid lines added to their hourly buckets: the roll-up's upsert, over order lines instead of pending ones. */
async function addToHourly(db: Connection, fromOrder: number, toOrder: number): Promise<void> {
  await db.query(
    `INSERT INTO product_sales_hourly (bucket_hour, product_id, quantity)
     SELECT * FROM (
       SELECT ${bucketHourSql('o.paid_at')} AS bucket_hour, i.product_id, SUM(i.quantity) AS added
       FROM orders o JOIN order_items i ON i.order_id = o.id
       WHERE o.id >= ? AND o.id < ? AND o.status = 'PAID'
       GROUP BY bucket_hour, i.product_id
     ) s
     ON DUPLICATE KEY UPDATE quantity = product_sales_hourly.quantity + s.added`,
    [fromOrder, toOrder],
  );
}

/** Every window rebuilt from the hourly buckets at the current hour: what the roll-up's invariant says they hold. */
async function rebuildWindows(db: Connection): Promise<void> {
  const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  await db.query('DELETE FROM product_sales_windows');
  await db.query(
    `INSERT INTO product_sales_windows (days, product_id, quantity)
     SELECT d.n + 1, h.product_id, SUM(h.quantity) FROM product_sales_hourly h
     JOIN ${sequenceSql(2)} d ON d.n < 30 AND h.bucket_hour >= CAST(? AS DATETIME) - INTERVAL 24 * (d.n + 1) HOUR
     GROUP BY d.n + 1, h.product_id`,
    [hour],
  );
  await db.query('UPDATE product_sales_rollup_state SET windows_hour = ?, version = version + 1 WHERE id = 1', [hour]);
}

/** Lines paid in the last second that no roll-up has seen: what a reader merges live. */
async function replaceTail(db: Connection): Promise<void> {
  await db.query('DELETE FROM product_sales_pending');
  if (tailLines === 0) return;
  await db.query(
    `INSERT INTO product_sales_pending (product_id, quantity, paid_at)
     SELECT 1 + (n * 7919) % ?, 1, UTC_TIMESTAMP(3) - INTERVAL (n % 1000) * 1000 MICROSECOND FROM ${sequenceSql(6)} s WHERE n < ?`,
    [productCount, tailLines],
  );
}

async function startApp(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(__dirname, '..', 'dist', 'main.js')], {
    env: {
      ...process.env,
      DB_NAME: config.database.name,
      // Only public routes are read; the app still needs token settings to start.
      ...BENCH_AUTH_ENV,
      PORT: String(port),
      RANKING_CACHE_TTL_SECONDS: '0',
      // The roll-up would empty the tail at once; the readers must merge it, so it stays.
      RANKING_ROLLUP_INTERVAL_MS: '0',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}`);
    const ready = await fetch(`${url}/health/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    if (attempt > 300) throw new Error('the app did not become ready');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { url, stop };
}

const fetchOk = (url: string) => async () => {
  const response = await fetch(url);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
};

/** Latencies of `count` calls made by `connections` callers at once, after a warm-up. */
async function measure(call: () => Promise<unknown>, connections: number, count: number): Promise<string> {
  const get = async () => {
    const started = performance.now();
    await call();
    return performance.now() - started;
  };
  for (let i = 0; i < 200; i++) await get();
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (latencies.length < count) latencies.push(await get());
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)].toFixed(2);
  return `${connections} caller(s), ${latencies.length} calls: p50 ${at(50)} ms, p99 ${at(99)} ms, max ${at(100)} ms, ${Math.round(latencies.length / seconds)} req/s`;
}

/** Timed 3 times, or once past a million lines, where one run reads the whole history from disk for minutes. */
async function timeRawQuery(db: Connection, days: number, lines: number): Promise<string> {
  const runs: number[] = [];
  for (let i = 0; i < (lines > 1_000_000 ? 1 : 3); i++) {
    const started = performance.now();
    await db.query(
      `SELECT i.product_id, SUM(i.quantity) AS sold FROM orders o JOIN order_items i ON i.order_id = o.id
       WHERE o.status = 'PAID' AND o.paid_at >= UTC_TIMESTAMP(3) - INTERVAL ? DAY
       GROUP BY i.product_id ORDER BY sold DESC, i.product_id LIMIT 5`,
      [days],
    );
    runs.push(performance.now() - started);
  }
  return `plain GROUP BY over order lines (days=${days}): ${runs.map((r) => r.toFixed(0)).join(' / ')} ms`;
}

async function main(): Promise<void> {
  log(`scratch database ${config.database.name}; ${productCount} products, tail of ${tailLines} pending lines`);
  const serverType = await prepareDatabase(config.database);
  const { host, port, user, password, name } = config.database;
  const db = await createConnection({ host, port, user, password, database: name, timezone: 'Z' });
  const dataSource = await new DataSource({ ...databaseOptions(config.database, serverType), poolSize: 2 }).initialize();
  const ranking = new RankingService(dataSource, new RankingRepository(), config);
  const report: string[] = [];
  try {
    await db.query('SET SESSION foreign_key_checks = 0, unique_checks = 0');
    await createCatalogue(db);
    let orders = 0;
    for (const lines of sizes) {
      const target = Math.ceil(lines / LINES_PER_ORDER);
      await timed(`load to ${lines} order lines with their hourly buckets`, () => loadOrders(db, orders + 1, target + 1));
      await timed('rebuild the windows', () => rebuildWindows(db));
      orders = target;
      await replaceTail(db);
      const [[counts]] = await db.query<Array<{ hourly: number; windows: number; inWindow: number } & RowDataPacket>>(
        `SELECT (SELECT COUNT(*) FROM product_sales_hourly) AS hourly, (SELECT COUNT(*) FROM product_sales_windows) AS windows,
                (SELECT SUM(quantity) FROM product_sales_windows WHERE days = 3) AS inWindow`,
      );
      const app = await startApp();
      const block = [`${lines} order lines (${counts.hourly} hourly rows, ${counts.windows} window rows, ${counts.inWindow} units in the 3-day window)`];
      try {
        // The floor: one primary-key read through the same HTTP stack.
        block.push(`  GET /products/1 (floor): ${await measure(fetchOk(`${app.url}/api/v1/products/1`), 1, requestCount)}`);
        for (const [days, limit] of queries) {
          const url = `${app.url}/api/v1/products/top?days=${days}&limit=${limit}`;
          block.push(`  GET top?days=${days}&limit=${limit}: ${await measure(fetchOk(url), 1, requestCount)}`);
          block.push(`  GET top?days=${days}&limit=${limit}: ${await measure(fetchOk(url), 8, requestCount * 4)}`);
        }
      } finally {
        await app.stop();
      }
      // The same computation without HTTP, so the machine's HTTP jitter is out of the figure.
      for (const [days, limit] of queries) {
        const compute = () => ranking.computeTopProducts(days, limit, new Date());
        block.push(`  computeTopProducts(${days}, ${limit}) in-process: ${await measure(compute, 1, requestCount)}`);
      }
      block.push(`  ${await timeRawQuery(db, 3, lines)}`);
      report.push(...block);
      block.forEach((line) => log(line));
    }
  } finally {
    await dataSource.destroy();
    await db.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await db.end();
    log(`dropped ${name}`);
  }
  console.log(`\n${report.join('\n')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
