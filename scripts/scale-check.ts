/**
 * Scale check for several instances (not a test): for N = 1, 2, 3 app instances behind haproxy
 * (round robin, health-checked on /health/ready), each on a fresh database, seeds users, products
 * and coupons through the API, runs a mixed load through haproxy (product list and page, top
 * products, charges, order + payment, coupon issues) and reports per N: throughput, p50/p99, app
 * CPU per answered request (the N processes together, from /proc/<pid>/stat), a one-user burst
 * against the shared rate limit, the data invariants checked in the database afterwards, and the
 * replica lag seen during the load (Seconds_Behind_Master and the age of a heartbeat row).
 *
 * With scripts/replica-pair.sh present it runs on a primary (3426) and a replica (3427) of its own
 * and gives the instances DB_REPLICA_HOSTS; otherwise on the local database of the DB_* settings
 * (127.0.0.1:3306), without replicas, and says so. Every instance gets REDIS_URL (one Redis
 * database number per run). Everything started is stopped at the end, also on Ctrl-C or a failure.
 * Needs haproxy (`apt-get install -y haproxy`); installs nothing.
 *
 *   npm run scale:check -- [--instances 1,2,3] [--duration 15] [--connections 64] [--burst 60] [--redis redis://127.0.0.1:6379]
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Request } from 'autocannon';
import { Connection, createConnection, createPool, RowDataPacket } from 'mysql2/promise';
import { loadDatabaseConfig } from '../src/config/app-config';
import { findViolations } from '../test/support/invariants';
import { AppProcess, freePort, startAppProcess } from './app-process';
import { runLoad } from './bench/load';
import { databaseServerPid, measureMachine, MachineUsage } from './bench/machine-usage';
import { cpuTimeUs } from './bench/proc-stat';
import { BENCH_AUTH_ENV, BenchTokens } from './bench/tokens';
import { roundRobin } from './bench/fixtures';
import { Haproxy, haproxyInstalled, startHaproxy } from './haproxy';

const ROOT = join(__dirname, '..');
const PAIR_SCRIPT = join(ROOT, 'scripts', 'replica-pair.sh');
const PRIMARY_PORT = 3426;
const REPLICA_PORT = 3427;
const ADMIN_KEY = 'scale-check-admin-key';
const RATE_LIMIT = 20;
const USERS = 1_000;
const PRODUCTS = 50;
const COUPONS = 10;
const PRICE = 1_000;
const STOCK = 1_000_000;
const SEED_CHARGE = 1_000_000;
const LOAD_CHARGE = 100;
const WARM_UP_SEC = 3;
const LAG_SAMPLE_MS = 100;
const EXPECTED_STATUSES = [200, 201, 409, 429];
const HEARTBEAT_MS = 50;

const { values: args } = parseArgs({
  options: {
    instances: { type: 'string', default: '1,2,3' },
    duration: { type: 'string', default: '15' },
    connections: { type: 'string', default: '64' },
    burst: { type: 'string', default: '60' },
    redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
  },
});
const instanceCounts = args.instances.split(',').map(Number);
const durationSec = Number(args.duration);
const connections = Number(args.connections);
const burstSize = Number(args.burst);
const runId = randomBytes(3).toString('hex');
// One Redis database number for the run (1..15; 0 is where everything else lands by default): no
// counter of another run or test is read. The limit's keys are user ids, fresh per database.
const redisUrl = `${args.redis.replace(/\/+$/, '')}/${randomInt(1, 16)}`;
const RESULTS_DIR = join(ROOT, 'bench-results');

const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

interface Server {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** How to stop what the check started (the replica pair, then per N its instances, haproxy and databases), run newest first. */
const teardown: Array<() => Promise<unknown>> = [];
let tornDown: Promise<void> | undefined;
function tearDown(): Promise<void> {
  tornDown ??= (async () => {
    // Steps added meanwhile (by work still starting things) are run too.
    while (teardown.length > 0) {
      try {
        await teardown.pop()!();
      } catch (error) {
        console.error('teardown:', error);
      }
    }
  })();
  return tornDown;
}

function run(command: string, argv: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${argv.join(' ')} exited with ${code}`))));
  });
}

/** The replica pair when its script is there (started once), otherwise the configured local database. */
async function databaseServers(): Promise<{ primary: Server; replica?: Server }> {
  if (!existsSync(PAIR_SCRIPT)) {
    const { host, port, user, password } = loadDatabaseConfig();
    if (!['127.0.0.1', 'localhost'].includes(host)) throw new Error('the scale check runs on a local database only');
    log(`scripts/replica-pair.sh is absent: running on the local database at ${host}:${port} without replicas (no DB_REPLICA_HOSTS, no replica lag)`);
    return { primary: { host, port, user, password } };
  }
  const dir = mkdtempSync(join(tmpdir(), 'scale-check-pair-'));
  teardown.push(() => run('bash', [PAIR_SCRIPT, 'stop', dir]));
  log(`starting the replica pair in ${dir}: primary 127.0.0.1:${PRIMARY_PORT}, replica 127.0.0.1:${REPLICA_PORT}`);
  await run('bash', [PAIR_SCRIPT, 'start', dir, String(PRIMARY_PORT), String(REPLICA_PORT)]);
  const root = { host: '127.0.0.1', user: 'root', password: '' };
  return { primary: { ...root, port: PRIMARY_PORT }, replica: { ...root, port: REPLICA_PORT } };
}

const connect = (server: Server, database?: string) => createConnection({ host: server.host, port: server.port, user: server.user, password: server.password, database });

/** Runs `work` on every item, at most `concurrency` at a time. */
async function inParallel<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]);
      }
    }),
  );
  return results;
}

async function call(url: string, method: string, path: string, headers: Record<string, string>, body?: object): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function expectCreated(url: string, path: string, headers: Record<string, string>, body: object, status = 201): Promise<number> {
  const answer = await call(url, 'POST', path, headers, body);
  if (answer.status !== status) throw new Error(`POST ${path} answered ${answer.status} ${JSON.stringify(answer.body)}`);
  return Number(answer.body.id ?? answer.body.userId);
}

interface Seed {
  users: number[];
  products: number[];
  coupons: number[];
}

/** Users (each charged once), products and coupons, all created through the API behind haproxy. */
async function seed(url: string, tokens: BenchTokens): Promise<Seed> {
  const admin = { 'content-type': 'application/json', 'x-admin-key': ADMIN_KEY };
  const users = await inParallel(Array.from({ length: USERS }, (_, i) => i), 16, (i) => expectCreated(url, '/api/v1/users', admin, { name: `scale user ${i}` }));
  const products = await inParallel(Array.from({ length: PRODUCTS }, (_, i) => i), 8, (i) =>
    expectCreated(url, '/api/v1/products', admin, { name: `scale product ${i}`, price: PRICE, stock: STOCK }),
  );
  const coupons = await inParallel(Array.from({ length: COUPONS }, (_, i) => i), 4, (i) =>
    expectCreated(url, '/api/v1/coupons', admin, { name: `scale coupon ${i}`, discountType: 'FIXED', discountValue: 100, totalQuantity: USERS, validDays: 30 }),
  );
  await tokens.sign(users);
  await inParallel(users, 16, (userId) => expectCreated(url, `/api/v1/users/${userId}/balance/charge`, tokens.headers(userId), { amount: SEED_CHARGE }, 200));
  return { users, products, coupons };
}

interface MixContext {
  userId?: number;
  orderId?: number;
}

/** What each kind of request of the mix was answered, by status. */
type KindStatuses = Record<string, Record<string, number>>;

/**
 * One connection's round of the mixed load, in this order: product list page, product page, top
 * products, a charge, an order then its payment (the round starts again when the order is refused),
 * a coupon issue, another product page. Coupon issues go coupon by coupon, each to every user
 * once, so most are first-come wins on one hot coupon row at a time.
 */
function mixedRound(seeded: Seed, tokens: BenchTokens): { requests: Request[]; count(into: KindStatuses): void } {
  const nextUser = roundRobin(seeded.users);
  const nextProduct = roundRobin(seeded.products);
  const pages = Math.ceil(PRODUCTS / 20);
  let pageTurn = 0;
  // Shared by the warm-up and the timed load, so the load issues (coupon, user) pairs not tried yet.
  let issueTurn = 0;
  let statuses: KindStatuses = {};
  const counted = (kind: string, request: Request, then?: (status: number, body: string, context: MixContext) => void): Request => ({
    ...request,
    onResponse: (status, body, context) => {
      const byStatus = (statuses[kind] ??= {});
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      then?.(status, body, context as MixContext);
    },
  });
  const productPage = (): Request => ({ method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/v1/products/${nextProduct()}` }) });
  const requests = [
    counted('product list', { method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/v1/products?page=${(pageTurn++ % pages) + 1}&size=20` }) }),
    counted('product page', productPage()),
    counted('top products', { method: 'GET', path: '/api/v1/products/top' }),
    counted('charge', {
      method: 'POST',
      setupRequest: (req) => {
        const userId = nextUser();
        return { ...req, path: `/api/v1/users/${userId}/balance/charge`, headers: tokens.headers(userId), body: JSON.stringify({ amount: LOAD_CHARGE }) };
      },
    }),
    counted('order', {
      method: 'POST',
      path: '/api/v1/orders',
      setupRequest: (req, context) => {
        const mix = context as MixContext;
        mix.userId = nextUser();
        return { ...req, headers: tokens.headers(mix.userId), body: JSON.stringify({ userId: mix.userId, items: [{ productId: nextProduct(), quantity: 1 }] }) };
      },
    }, (status, body, mix) => {
      mix.orderId = status === 201 ? Number(JSON.parse(body).orderId) : undefined;
    }),
    counted('payment', {
      method: 'POST',
      path: '/api/v1/payments',
      setupRequest: (req, context) => {
        const { userId, orderId } = context as MixContext;
        return (orderId ? { ...req, headers: tokens.headers(userId!), body: JSON.stringify({ userId, orderId }) } : undefined) as Request;
      },
    }),
    counted('coupon issue', {
      method: 'POST',
      setupRequest: (req) => {
        const turn = issueTurn++;
        const couponId = seeded.coupons[Math.floor(turn / seeded.users.length) % seeded.coupons.length];
        const userId = seeded.users[turn % seeded.users.length];
        return { ...req, path: `/api/v1/coupons/${couponId}/issue`, headers: tokens.headers(userId), body: JSON.stringify({ userId }) };
      },
    }),
    counted('product page', productPage()),
  ];
  return {
    requests,
    count: (into) => {
      statuses = into;
    },
  };
}

interface ReplicaLag {
  /** Highest Seconds_Behind_Master seen (whole seconds); null when replication was not running at any sample. */
  maxSeconds: number | null;
  /** Highest age of the heartbeat row on the replica, in ms: the lag, within one heartbeat period above it. */
  maxHeartbeatMs: number | null;
  samples: number;
  /** Samples where Seconds_Behind_Master was NULL (a replication thread not running). */
  notRunning: number;
}

/**
 * Samples the replica's lag until stopped, two ways: Seconds_Behind_Master, and a heartbeat row
 * the primary rewrites with NOW(6) every HEARTBEAT_MS (in `heartbeatDb`, a database of its own),
 * whose age on the replica (its NOW(6); one clock, one machine) gives the lag in ms.
 */
async function sampleReplicaLag(primary: Connection, replica: Connection, heartbeatDb: string): Promise<() => Promise<ReplicaLag>> {
  await primary.query(`CREATE DATABASE \`${heartbeatDb}\``);
  await primary.query(`CREATE TABLE \`${heartbeatDb}\`.heartbeat (id INT PRIMARY KEY, at DATETIME(6) NOT NULL)`);
  await primary.query(`INSERT INTO \`${heartbeatDb}\`.heartbeat VALUES (1, NOW(6))`);
  await waitForReplica(primary, replica);
  const lag: ReplicaLag = { maxSeconds: null, maxHeartbeatMs: null, samples: 0, notRunning: 0 };
  let stopped = false;
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  // A failed statement (a connection closed by a teardown) ends the loop, never the script.
  const beating = (async () => {
    while (!stopped) {
      if ((await primary.query(`UPDATE \`${heartbeatDb}\`.heartbeat SET at = NOW(6) WHERE id = 1`).catch(() => undefined)) === undefined) return;
      await pause(HEARTBEAT_MS);
    }
  })();
  const sampling = (async () => {
    while (!stopped) {
      const [status] = await replica.query<RowDataPacket[]>('SHOW SLAVE STATUS').catch(() => [undefined]);
      const [beat] = await replica.query<RowDataPacket[]>(`SELECT TIMESTAMPDIFF(MICROSECOND, at, NOW(6)) AS us FROM \`${heartbeatDb}\`.heartbeat`).catch(() => [undefined]);
      if (status === undefined || beat === undefined) return;
      const seconds = status[0]?.Seconds_Behind_Master;
      lag.samples++;
      if (seconds === null || seconds === undefined) lag.notRunning++;
      else lag.maxSeconds = Math.max(lag.maxSeconds ?? 0, Number(seconds));
      if (beat[0]) lag.maxHeartbeatMs = Math.max(lag.maxHeartbeatMs ?? 0, Math.round(Number(beat[0].us) / 1_000));
      await pause(LAG_SAMPLE_MS);
    }
  })();
  return async () => {
    stopped = true;
    await Promise.all([beating, sampling]);
    return lag;
  };
}

/** The replica has applied everything the primary had written when this was called. */
async function waitForReplica(primary: Connection, replica: Connection, timeoutMs = 60_000): Promise<number> {
  const started = performance.now();
  const [[{ pos }]] = await primary.query<RowDataPacket[]>('SELECT @@gtid_binlog_pos AS pos');
  const [[{ caughtUp }]] = await replica.query<RowDataPacket[]>('SELECT MASTER_GTID_WAIT(?, ?) AS caughtUp', [pos, timeoutMs / 1_000]);
  if (Number(caughtUp) !== 0) throw new Error(`the replica did not reach the primary's ${pos} within ${timeoutMs / 1_000} s`);
  return Math.round(performance.now() - started);
}

interface Burst {
  /** Requests of the burst answered with something other than 429. */
  admitted: number;
  statuses: Record<string, number>;
  /** First request sent to last answer, in ms. */
  spanMs: number;
  /** The whole burst fell inside one clock second (so inside any one-second window of the limit). */
  withinOneSecond: boolean;
  held: boolean;
  attempts: number;
}

/**
 * `burstSize` concurrent user-scoped reads (GET balance) of one fresh user through haproxy, started
 * just after a clock second begins. A burst inside one second may get at most the limit admitted,
 * whatever the window scheme (one per second aligned to the clock, one from the first hit, or
 * sliding). A burst that crosses a second boundary may see two windows of a fixed-window counter,
 * so up to 2 × the limit; it is retried with a new user (three tries), and only if all three cross
 * is 2 × the limit accepted.
 */
async function rateLimitBurst(url: string, tokens: BenchTokens): Promise<Burst> {
  const admin = { 'content-type': 'application/json', 'x-admin-key': ADMIN_KEY };
  let last: Burst | undefined;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const userId = await expectCreated(url, '/api/v1/users', admin, { name: `burst user ${attempt}` });
    await tokens.sign([userId]);
    const headers = tokens.headers(userId);
    while (Date.now() % 1_000 > 20) await new Promise((resolve) => setTimeout(resolve, 1));
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: burstSize }, () => fetch(`${url}/api/v1/users/${userId}/balance`, { headers }).then(async (r) => (await r.arrayBuffer(), r.status))));
    const ended = Date.now();
    const statuses: Record<string, number> = {};
    for (const status of answers) statuses[status] = (statuses[status] ?? 0) + 1;
    const admitted = answers.filter((status) => status !== 429).length;
    const withinOneSecond = Math.floor(started / 1_000) === Math.floor(ended / 1_000);
    last = { admitted, statuses, spanMs: ended - started, withinOneSecond, held: admitted <= RATE_LIMIT, attempts: attempt };
    if (withinOneSecond) return last;
  }
  return { ...last!, held: last!.admitted <= 2 * RATE_LIMIT };
}

interface Outcome {
  instances: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  answered: number;
  /** Connection errors and timeouts seen by the load generator, plus 5xx answers. */
  errors: number;
  /** Answers other than 200, 201, 409 (sold out, already issued, too many pending) and 429 (rate limited). */
  unexpected: number;
  statuses: Record<string, number>;
  byKind: KindStatuses;
  /** The N app processes' CPU time (user + system) ÷ answered requests, in µs. */
  appCpuUsPerRequest: number;
  haproxyCpuUsPerRequest: number;
  replicaCpuUsPerRequest: number | null;
  /** SELECTs the replica ran during the load (Com_select), less the lag sampler's heartbeat reads: the public reads it served. */
  replicaSelects: number | null;
  machine: MachineUsage;
  /** Requests haproxy sent each instance during the whole run (seed, warm-up, load, burst). */
  perInstance: Record<string, number>;
  rateLimit: Burst & { limit: number; burst: number };
  violations: string[];
  /** During the load; catchUpMs: how long the replica took after it to apply everything. */
  replicaLag: (ReplicaLag & { catchUpMs: number }) | null;
}

async function checkInstances(n: number, servers: { primary: Server; replica?: Server }, workDir: string): Promise<Outcome> {
  const name = `scale_check_${runId}_n${n}`;
  const steps: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    while (steps.length > 0) {
      try {
        await steps.pop()!();
      } catch (error) {
        console.error(`N=${n} teardown:`, error);
      }
    }
  };
  teardown.push(stopAll);
  const env: Record<string, string> = {
    ...BENCH_AUTH_ENV,
    ADMIN_API_KEY: ADMIN_KEY,
    DB_HOST: servers.primary.host,
    DB_PORT: String(servers.primary.port),
    DB_USER: servers.primary.user,
    DB_PASSWORD: servers.primary.password,
    DB_NAME: name,
    REDIS_URL: redisUrl,
    RATE_LIMIT_PER_USER_PER_SECOND: String(RATE_LIMIT),
    LOG_LEVEL: 'warn',
    ...(servers.replica ? { DB_REPLICA_HOSTS: `${servers.replica.host}:${servers.replica.port}` } : {}),
  };
  const root = await connect(servers.primary);
  steps.push(async () => {
    await root.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await root.end();
  });

  // The first instance creates the database and runs the migrations; the others start side by side.
  const apps: AppProcess[] = [];
  steps.push(() => Promise.all(apps.map((app) => app.stop())));
  apps.push(await startAppProcess(env, await freePort()));
  const ports = await Promise.all(Array.from({ length: n - 1 }, () => freePort()));
  const started = await Promise.allSettled(ports.map((port) => startAppProcess(env, port)));
  for (const result of started) if (result.status === 'fulfilled') apps.push(result.value);
  for (const result of started) if (result.status === 'rejected') throw result.reason;
  const haproxy: Haproxy = await startHaproxy(workDir, await freePort(), await freePort(), apps.map((app) => app.url.replace('http://', '')));
  steps.push(() => haproxy.stop());
  log(`N=${n}: ${apps.length} instance(s) ${apps.map((app) => app.url).join(', ')} behind haproxy ${haproxy.url}; database ${name}`);

  const tokens = new BenchTokens();
  const seeded = await seed(haproxy.url, tokens);
  const replica = servers.replica ? await connect(servers.replica) : undefined;
  if (replica) steps.push(() => replica.end());
  // The public reads of the load may go to the replica: it has the seed before the load starts.
  if (replica) await waitForReplica(root, replica);
  log(`N=${n}: seeded ${seeded.users.length} users (charged ${SEED_CHARGE} each), ${seeded.products.length} products, ${seeded.coupons.length} coupons through the API`);

  const round = mixedRound(seeded, tokens);
  await runLoad({ url: haproxy.url, connections, duration: WARM_UP_SEC, requests: round.requests });
  const byKind: KindStatuses = {};
  round.count(byKind);

  const db = createPool({ ...servers.primary, database: name, connectionLimit: 4 });
  steps.push(() => db.end());
  const replicaPid = replica ? await databaseServerPid(replica) : undefined;
  const cpu = (pid: number | undefined) => {
    try {
      if (pid === undefined) return undefined;
      const { user, system } = cpuTimeUs(pid);
      return user + system;
    } catch {
      return undefined;
    }
  };
  const appsCpu = () => apps.reduce((sum, app) => sum + (cpu(app.pid) ?? 0), 0);

  const heartbeatDb = `${name}_heartbeat`;
  if (replica) steps.push(() => root.query(`DROP DATABASE IF EXISTS \`${heartbeatDb}\``));
  const selects = async () => (replica ? Number((await replica.query<RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Com_select'"))[0][0].Value) : undefined);
  const selectsBefore = await selects();
  const stopLag = replica ? await sampleReplicaLag(root, replica, heartbeatDb) : undefined;
  const stopMachine = measureMachine(await databaseServerPid(db));
  const before = { apps: appsCpu(), haproxy: cpu(haproxy.pid) ?? 0, replica: cpu(replicaPid) };
  const load = await runLoad({ url: haproxy.url, connections, duration: durationSec, requests: round.requests });
  const after = { apps: appsCpu(), haproxy: cpu(haproxy.pid) ?? 0, replica: cpu(replicaPid) };
  const machine = stopMachine(load.total);
  const lag = await stopLag?.();
  const selectsAfter = await selects();
  const perRequest = (us: number) => Math.round(us / Math.max(load.total, 1));

  // Requests whose answers the timed run dropped may still be running: let them finish first.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const catchUpMs = replica ? await waitForReplica(root, replica) : 0;
  const initialStock = new Map(seeded.products.map((id) => [id, STOCK]));
  const violations = await findViolations(async <T>(sql: string, params: unknown[] = []) => (await db.query<RowDataPacket[]>(sql, params))[0] as T[], initialStock);
  const burst = await rateLimitBurst(haproxy.url, tokens);
  const perInstance = Object.fromEntries((await haproxy.servers()).map((server) => [server.name, server.requests]));

  const fiveXx = Object.entries(load.statuses)
    .filter(([status]) => Number(status) >= 500)
    .reduce((sum, [, count]) => sum + count, 0);
  const outcome: Outcome = {
    instances: n,
    rps: load.rps,
    p50Ms: load.p50Ms,
    p99Ms: load.p99Ms,
    answered: load.total,
    errors: load.errors + fiveXx,
    unexpected: Object.entries(load.statuses)
      .filter(([status]) => !EXPECTED_STATUSES.includes(Number(status)) && Number(status) < 500)
      .reduce((sum, [, count]) => sum + count, 0),
    statuses: load.statuses,
    byKind,
    appCpuUsPerRequest: perRequest(after.apps - before.apps),
    haproxyCpuUsPerRequest: perRequest(after.haproxy - before.haproxy),
    replicaCpuUsPerRequest: before.replica !== undefined && after.replica !== undefined ? perRequest(after.replica - before.replica) : null,
    // Less the sampler's own: its MASTER_GTID_WAIT and one heartbeat read per sample (SHOW statements are not SELECTs).
    replicaSelects: selectsBefore !== undefined && selectsAfter !== undefined && lag ? selectsAfter - selectsBefore - 1 - lag.samples : null,
    machine,
    perInstance,
    rateLimit: { ...burst, limit: RATE_LIMIT, burst: burstSize },
    violations,
    replicaLag: lag ? { ...lag, catchUpMs } : null,
  };
  log(
    `N=${n}: ${outcome.rps} req/s, p99 ${outcome.p99Ms} ms, ${outcome.appCpuUsPerRequest} µs app CPU/req, errors ${outcome.errors}, other answers ${outcome.unexpected}, ` +
      `burst admitted ${burst.admitted}/${burstSize} (limit ${RATE_LIMIT}, ${burst.spanMs} ms), violations ${violations.length}, ` +
      `replica lag max ${lag ? `${lag.maxSeconds ?? 'not running'} s (heartbeat ${lag.maxHeartbeatMs ?? '–'} ms)` : 'n/a'}; per instance ${JSON.stringify(perInstance)}`,
  );
  await stopAll();
  return outcome;
}

function report(outcomes: Outcome[], replicas: boolean): boolean {
  const rows = outcomes.map((o) => {
    const lag = o.replicaLag ? `${o.replicaLag.maxSeconds ?? 'not running'} | ${o.replicaLag.maxHeartbeatMs ?? '–'}` : 'n/a | n/a';
    return (
      `| ${o.instances} | ${o.rps} | ${o.p50Ms} | ${o.p99Ms} | ${o.errors} | ${o.unexpected} | ${o.appCpuUsPerRequest} | ${o.haproxyCpuUsPerRequest} | ${o.machine.databaseCpuUsPerRequest ?? 'n/a'} | ${o.replicaCpuUsPerRequest ?? 'n/a'} | ${o.replicaSelects ?? 'n/a'} ` +
      `| ${o.machine.loadGeneratorCpuUsPerRequest} | ${o.machine.machineIdlePercent} | ${o.rateLimit.admitted} / ${o.rateLimit.burst} (${o.rateLimit.held ? 'held' : 'NOT held'}) ` +
      `| ${o.violations.length === 0 ? 'hold' : `${o.violations.length} VIOLATED`} | ${lag} |`
    );
  });
  const table = [
    `| instances | req/s | p50 ms | p99 ms | errors | other answers | app CPU µs/req | haproxy µs/req | primary µs/req | replica µs/req | replica SELECTs | load generator µs/req | machine idle % | burst admitted (limit ${RATE_LIMIT}) | invariants | replica lag max s | heartbeat lag max ms |`,
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|',
    ...rows,
  ].join('\n');
  const mixes = outcomes.map((o) => `N=${o.instances}: ${Object.entries(o.byKind).map(([kind, statuses]) => `${kind} ${JSON.stringify(statuses)}`).join(', ')}`).join('\n');
  const violations = outcomes.flatMap((o) => o.violations.slice(0, 10).map((v) => `N=${o.instances}: ${v}`));
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version };
  const setting =
    `${durationSec} s mixed load per N over ${connections} connections through haproxy; ${replicas ? `primary 127.0.0.1:${PRIMARY_PORT} + replica 127.0.0.1:${REPLICA_PORT}` : 'local database, no replicas'}; ` +
    `REDIS_URL ${redisUrl}; machine ${JSON.stringify(machine)}`;
  console.log(`\n${setting}\n\n${table}\n\nAnswers by request kind:\n${mixes}${violations.length ? `\n\nViolations:\n${violations.join('\n')}` : ''}`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, 'scale-check.json');
  writeFileSync(path, `${JSON.stringify({ durationSec, connections, replicas, redisUrl, rateLimitPerUserPerSecond: RATE_LIMIT, machine, outcomes }, null, 2)}\n`);
  console.log(`\nwritten to ${path}`);
  return outcomes.every((o) => o.errors === 0 && o.unexpected === 0 && o.rateLimit.held && o.violations.length === 0);
}

async function main(): Promise<void> {
  if (!haproxyInstalled()) {
    console.error('haproxy is not installed: run `apt-get install -y haproxy` (Debian/Ubuntu), then npm run scale:check again.');
    process.exitCode = 1;
    return;
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping everything`);
      // Work still in flight fails once its processes are gone: that must not end the script before the teardown has.
      process.on('unhandledRejection', () => undefined);
      process.on('uncaughtException', () => undefined);
      void tearDown().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
  const workDir = mkdtempSync(join(tmpdir(), 'scale-check-'));
  teardown.push(async () => rmSync(workDir, { recursive: true, force: true }));
  try {
    const servers = await databaseServers();
    log(`instances ${instanceCounts.join(', ')}; REDIS_URL ${redisUrl}${servers.replica ? `; DB_REPLICA_HOSTS ${servers.replica.host}:${servers.replica.port}` : ''}`);
    const outcomes: Outcome[] = [];
    for (const n of instanceCounts) outcomes.push(await checkInstances(n, servers, workDir));
    if (!report(outcomes, servers.replica !== undefined)) {
      console.error('\nscale check: some check did not hold (errors, other answers, the rate limit or the invariants; see above)');
      process.exitCode = 1;
    }
  } finally {
    await tearDown();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
