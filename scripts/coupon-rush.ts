// Coupon issuance under a rush. Starts the built service (`npm run build` first) on a scratch
// database, bulk-creates users, then fires autocannon at POST /coupons/{id}/issue with a distinct
// user per request, in two phases:
//   issue    — a coupon of 10,000,000 units: every request takes the transactional (locking) path;
//   sold-out — a coupon of 100 units: after the first 100, the lock-free refusal path.
// Afterwards it checks issued_quantity == user_coupons rows, and that every 201 is among them
// (requests still in flight when autocannon stops may add a few more), then drops the database.
//   npx ts-node scripts/coupon-rush.ts    (BENCH_CONNECTIONS, BENCH_SECONDS, BENCH_USERS, BENCH_PORT)
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Connection, createConnection, RowDataPacket } from 'mysql2/promise';
import { loadConfig } from '../src/config/app-config';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  statusCodeStats: Record<string, { count: number }>;
  errors: number;
  timeouts: number;
}
interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  setupRequest: (request: AutocannonRequest & { body?: string }) => AutocannonRequest & { body: string };
}
// autocannon ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: {
  url: string;
  connections: number;
  duration: number;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const USERS = Number(process.env.BENCH_USERS ?? 200_000);
const PORT = Number(process.env.BENCH_PORT ?? 3_999);
const ADMIN_KEY = 'bench-admin-key';
const BASE = `http://127.0.0.1:${PORT}`;

async function main(): Promise<void> {
  const { database } = loadConfig();
  const dbName = `bench_coupon_${randomBytes(4).toString('hex')}`;
  const server = spawn(process.execPath, [join(__dirname, '..', 'dist', 'main.js')], {
    env: { ...process.env, DB_NAME: dbName, PORT: String(PORT), ADMIN_API_KEY: ADMIN_KEY, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const db = await createConnection({ host: database.host, port: database.port, user: database.user, password: database.password });
  try {
    await waitUntilReady(server);
    await db.query(`USE \`${dbName}\``);
    await createUsers(db, USERS);
    let nextUserId = 1;
    for (const [phase, totalQuantity] of [
      ['issue', 10_000_000],
      ['sold-out', 100],
    ] as const) {
      const couponId = await createCoupon(totalQuantity);
      const result = await autocannon({
        url: BASE,
        connections: CONNECTIONS,
        duration: SECONDS,
        requests: [
          {
            method: 'POST',
            path: `/api/v1/coupons/${couponId}/issue`,
            headers: { 'content-type': 'application/json' },
            setupRequest: (request) => ({ ...request, body: JSON.stringify({ userId: (nextUserId++ % USERS) + 1 }) }),
          },
        ],
      });
      await report(db, phase, couponId, result);
    }
  } finally {
    if (server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    await db.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
    await db.end();
  }
}

async function waitUntilReady(server: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt++) {
    if (server.exitCode !== null) throw new Error(`the service exited with code ${server.exitCode}`);
    const ready = await fetch(`${BASE}/health/ready`).then((r) => r.ok, () => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the service did not become ready');
}

/** Users and their balance rows straight in SQL: the API would take minutes for this many. */
async function createUsers(db: Connection, count: number): Promise<void> {
  const batch = 10_000;
  for (let first = 1; first <= count; first += batch) {
    const ids = Array.from({ length: Math.min(batch, count - first + 1) }, (_, i) => first + i);
    await db.query('INSERT INTO users (id, name) VALUES ?', [ids.map((id) => [id, `bench-${id}`])]);
    await db.query('INSERT INTO user_balances (user_id, balance) VALUES ?', [ids.map((id) => [id, 0])]);
  }
}

async function createCoupon(totalQuantity: number): Promise<number> {
  const response = await fetch(`${BASE}/api/v1/coupons`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-admin-key': ADMIN_KEY },
    body: JSON.stringify({ name: `rush ${totalQuantity}`, discountType: 'FIXED', discountValue: 1_000, totalQuantity, validDays: 7 }),
  });
  if (response.status !== 201) throw new Error(`creating the coupon failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: number }).id;
}

/** Counts once the requests autocannon left in flight have settled (two equal reads in a row). */
async function settledCounts(db: Connection, couponId: number): Promise<{ issued: number; held: number }> {
  let previous = '';
  for (;;) {
    const [[row]] = await db.query<RowDataPacket[]>(
      'SELECT issued_quantity AS issued, (SELECT COUNT(*) FROM user_coupons WHERE coupon_id = ?) AS held FROM coupons WHERE id = ?',
      [couponId, couponId],
    );
    const counts = { issued: Number(row.issued), held: Number(row.held) };
    if (JSON.stringify(counts) === previous) return counts;
    previous = JSON.stringify(counts);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function report(db: Connection, phase: string, couponId: number, result: AutocannonResult): Promise<void> {
  const { issued, held } = await settledCounts(db, couponId);
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]));
  const created = statuses['201'] ?? 0;
  const consistent = issued === held && created <= issued && issued <= created + CONNECTIONS;
  console.log(
    JSON.stringify({
      phase,
      connections: CONNECTIONS,
      seconds: SECONDS,
      requestsPerSecond: result.requests.average,
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
      statuses,
      errors: result.errors,
      timeouts: result.timeouts,
      issuedQuantity: issued,
      userCouponRows: held,
      consistent,
    }),
  );
  if (!consistent) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
