/**
 * Scale check for GET /api/v1/products (not a test): bulk-loads one scratch database per catalogue
 * size (default 1,000 and 1,000,000 products), starts the built app on each and measures the list —
 * page 1, the deepest page number allowed, and cursor pages at random depths past row 10,000 —
 * then times what the list did before (COUNT(*) and OFFSET) for comparison. The sizes are measured
 * in turns, one request to each app after the other, so the drift of a shared machine falls on all
 * sizes alike. Target: p50 at the largest size ≤ 2 × p50 at the smallest, for page 1 and for
 * cursor pages. Only 127.0.0.1 (the DB_* settings); the scratch databases are dropped at the end.
 *
 *   npm run catalogue:scale -- [--sizes 1000,1000000] [--requests 2000]
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Connection, createConnection, RowDataPacket } from 'mysql2/promise';
import { DatabaseConfig, loadDatabaseConfig } from '../src/config/app-config';
import { prepareDatabase } from '../src/database/prepare-database';
import { MAX_PAGE_DEPTH } from '../src/product/dto/product.dto';
import { AppProcess, freePort, startAppProcess } from './app-process';
import { BENCH_AUTH_ENV } from './bench/tokens';
import { createDigitsTable, Latency, percentiles, sequenceSql } from './scale-support';

const PAGE_SIZE = 20;
const ROWS_PER_CHUNK = 100_000;
/** No measurement runs longer than this, whatever --requests says. */
const MEASURE_LIMIT_MS = 60_000;

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,1000000' },
    requests: { type: 'string', default: '2000' },
  },
});
const sizes = args.sizes.split(',').map(Number);
const requestCount = Number(args.requests);

const baseDatabase = loadDatabaseConfig();
if (!['127.0.0.1', 'localhost'].includes(baseDatabase.host)) throw new Error('the scale check runs on a local database only');
const runId = randomBytes(4).toString('hex');
const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

const SEQUENCE_SQL = sequenceSql(5);

/** Products `from + 1 .. to` in chunks of INSERT … SELECT, added to the count as the app's creation does. */
async function loadProducts(db: Connection, from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += ROWS_PER_CHUNK) {
    const rows = Math.min(ROWS_PER_CHUNK, to - start);
    await db.query(
      `INSERT INTO products (name, price, stock) SELECT CONCAT('product ', ? + n + 1), 1000 + (? + n) % 100000, 1000 FROM ${SEQUENCE_SQL} s WHERE n < ? ORDER BY n`,
      [start, start, rows],
    );
    await db.query('UPDATE product_count SET total = total + ? WHERE id = 1', [rows]);
  }
}

async function getJson(url: string): Promise<{ items?: Array<{ id: number }>; total?: number }> {
  const response = await fetch(url);
  const body = (await response.json()) as { items?: Array<{ id: number }>; total?: number };
  if (response.status !== 200) throw new Error(`${url} answered ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** A loaded scratch database with the app running on it. */
interface Catalogue {
  products: number;
  config: DatabaseConfig;
  db: Connection;
  firstId: number;
  app?: AppProcess;
}

/**
 * Up to `count` sequential calls per catalogue after a warm-up of 200, taking turns between the
 * catalogues; `urlFor` gives each call's URL. Returns each catalogue's latencies.
 */
async function measureInTurns(catalogues: Catalogue[], urlFor: (c: Catalogue, base: string) => string, count: number): Promise<Latency[]> {
  const call = async (c: Catalogue) => {
    const url = urlFor(c, `${c.app!.url}/api/v1/products`);
    const started = performance.now();
    const page = await getJson(url);
    const ms = performance.now() - started;
    if (page.items?.length === 0) throw new Error(`${url} answered an empty page`);
    return ms;
  };
  for (let i = 0; i < 200; i++) for (const c of catalogues) await call(c);
  const latencies: number[][] = catalogues.map(() => []);
  const deadline = performance.now() + MEASURE_LIMIT_MS;
  for (let i = 0; i < count && performance.now() < deadline; i++) {
    for (const [k, c] of catalogues.entries()) latencies[k].push(await call(c));
  }
  return latencies.map(percentiles);
}

/** Runs `sql` three times and gives the times in ms. */
async function timeSql(db: Connection, sql: string): Promise<string> {
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    await db.query(sql);
    runs.push(performance.now() - started);
  }
  return runs.map((ms) => ms.toFixed(1)).join(' / ');
}

interface SizeResult {
  products: number;
  page1: Latency;
  deepestPage: Latency;
  cursor: Latency;
  cursorFrom: number;
  floor: Latency;
  countMs: string;
  offsetMs: string;
}

/** A migrated scratch database for `products` products, still empty. */
async function createCatalogue(products: number): Promise<Catalogue> {
  const config = { ...baseDatabase, name: `catalogue_scale_${runId}_${products}` };
  await prepareDatabase(config);
  const db = await createConnection({ host: config.host, port: config.port, user: config.user, password: config.password, database: config.name });
  return { products, config, db, firstId: 0 };
}

async function loadCatalogue(catalogue: Catalogue): Promise<void> {
  const { db, products, config } = catalogue;
  const started = performance.now();
  await createDigitsTable(db);
  await loadProducts(db, 0, products);
  await db.query('ANALYZE TABLE products');
  const [[range]] = await db.query<Array<{ first: number; counted: number } & RowDataPacket>>(
    'SELECT MIN(id) AS first, (SELECT total FROM product_count) AS counted FROM products',
  );
  if (Number(range.counted) !== products) throw new Error(`product_count holds ${range.counted}, expected ${products}`);
  catalogue.firstId = Number(range.first);
  log(`${config.name}: loaded ${products} products in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function measureAll(catalogues: Catalogue[]): Promise<SizeResult[]> {
  for (const c of catalogues) {
    c.app = await startAppProcess({ ...BENCH_AUTH_ENV, DB_NAME: c.config.name, LOG_LEVEL: 'info' }, await freePort());
    const { total } = await getJson(`${c.app.url}/api/v1/products?size=1`);
    if (total !== c.products) throw new Error(`GET /products answered total ${total}, expected ${c.products}`);
  }
  // Cursor pages start at random rows past row 10,000 (anywhere when the catalogue is smaller),
  // so each request reads a part of the table the previous one did not.
  const cursorFrom = (c: Catalogue) => (c.products > MAX_PAGE_DEPTH + PAGE_SIZE ? MAX_PAGE_DEPTH : 0);
  const randomCursor = (c: Catalogue) => c.firstId + cursorFrom(c) + Math.floor(Math.random() * (c.products - cursorFrom(c) - PAGE_SIZE));
  const deepest = (c: Catalogue) => Math.min(Math.floor(MAX_PAGE_DEPTH / PAGE_SIZE), Math.floor(c.products / PAGE_SIZE));
  const floor = await measureInTurns(catalogues, (c, base) => `${base}/${c.firstId}`, requestCount);
  const page1 = await measureInTurns(catalogues, (_c, base) => `${base}?page=1&size=${PAGE_SIZE}`, requestCount);
  const deepestPage = await measureInTurns(catalogues, (c, base) => `${base}?page=${deepest(c)}&size=${PAGE_SIZE}`, requestCount);
  const cursor = await measureInTurns(catalogues, (c, base) => `${base}?cursor=${randomCursor(c)}&size=${PAGE_SIZE}`, requestCount);
  const results: SizeResult[] = [];
  for (const [k, c] of catalogues.entries()) {
    results.push({
      products: c.products,
      page1: page1[k],
      deepestPage: deepestPage[k],
      cursor: cursor[k],
      cursorFrom: cursorFrom(c),
      floor: floor[k],
      countMs: await timeSql(c.db, 'SELECT COUNT(*) FROM products'),
      offsetMs: await timeSql(c.db, `SELECT id, name, price, stock FROM products ORDER BY id LIMIT ${PAGE_SIZE} OFFSET ${c.products - PAGE_SIZE}`),
    });
  }
  return results;
}

function report(results: SizeResult[]): string {
  const ms = (l: Latency) => `${l.p50.toFixed(2)} / ${l.p99.toFixed(2)}`;
  const lines = [
    `GET /api/v1/products, size=${PAGE_SIZE}, one client, sequential calls: p50 / p99 in ms`,
    '',
    `| products | page 1 | deepest page number (${Math.floor(MAX_PAGE_DEPTH / PAGE_SIZE)}, or the last page) | cursor pages | floor: GET /products/{id} | before: COUNT(*) | before: OFFSET to the last page |`,
    '|---:|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.products.toLocaleString('en')} | ${ms(r.page1)} | ${ms(r.deepestPage)} | ${ms(r.cursor)} (random, past row ${r.cursorFrom.toLocaleString('en')}) | ${ms(r.floor)} | ${r.countMs} | ${r.offsetMs} |`,
    ),
  ];
  const [smallest, largest] = [results[0], results[results.length - 1]];
  if (results.length > 1) {
    lines.push('');
    for (const [label, pick] of [
      ['page 1', (r: SizeResult) => r.page1],
      ['cursor pages', (r: SizeResult) => r.cursor],
    ] as const) {
      const ratio = pick(largest).p50 / pick(smallest).p50;
      lines.push(`${label}: p50 at ${largest.products.toLocaleString('en')} ÷ p50 at ${smallest.products.toLocaleString('en')} = ${ratio.toFixed(2)} (target ≤ 2: ${ratio <= 2 ? 'met' : 'NOT met'})`);
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  log(`sizes ${sizes.join(', ')}; ${requestCount} calls per size and kind of page`);
  const catalogues: Catalogue[] = [];
  let cleaned = false;
  const cleanUp = async () => {
    if (cleaned) return;
    cleaned = true;
    for (const c of catalogues) {
      await c.app?.stop();
      await c.db.query(`DROP DATABASE IF EXISTS \`${c.config.name}\``);
      await c.db.end();
      log(`dropped ${c.config.name}`);
    }
  };
  // Ctrl-C still drops the scratch databases.
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));
  try {
    for (const products of sizes) {
      catalogues.push(await createCatalogue(products));
      await loadCatalogue(catalogues[catalogues.length - 1]);
    }
    const results = await measureAll(catalogues);
    console.log(`\n${report(results)}`);
  } finally {
    await cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
