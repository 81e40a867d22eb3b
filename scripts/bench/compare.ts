// `npm run bench:compare -- <before> [<after>]`: two builds (another checkout's and this one's, or
// two other checkouts'), each started on a database of its own and measured in turns on the same
// scenarios, so both see the same machine.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createConnection, createPool, Pool } from 'mysql2/promise';
import { DatabaseConfig, loadDatabaseConfig } from '../../src/config/app-config';
import { AppProcess, buildOf, FROM_BUILD, freePort, HEAP_CAPS_MB, startAppProcess } from '../app-process';
import { AppProbe } from './app-usage';
import { insertProduct, insertUsers } from './fixtures';
import { measureLoadsWith, runLoad } from './load';
import { databaseServerPid } from './machine-usage';
import { BenchContext, charges, checkout, couponRush, productPage, refund, ScenarioResult, sellOut } from './scenarios';
import { BENCH_AUTH_ENV, BenchTokens } from './tokens';

const DURATION_SEC = Number(process.env.BENCH_DURATION_SEC ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 100;
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? 'charges,checkout,product-page').split(',');
const RESULTS_DIR = join(__dirname, '..', '..', 'bench-results');

type Scenario = (ctx: BenchContext, couponUsers: number[], products: number[]) => Promise<ScenarioResult>;
const RUNNERS: Record<string, Scenario> = {
  'coupon-rush': (ctx, users) => couponRush(ctx, users, 0),
  'sell-out': (ctx, users) => sellOut(ctx, users, 0),
  checkout: (ctx) => checkout(ctx),
  refund: (ctx) => refund(ctx),
  charges: (ctx) => charges(ctx),
  'product-page': (ctx, _users, products) => productPage(ctx, products),
};

interface Build {
  label: string;
  app: AppProcess;
  db: Pool;
  database: DatabaseConfig;
  probe: AppProbe;
  ctx: BenchContext;
  couponUsers: number[];
  products: number[];
}

/** CPU µs per answered request of every run, by scenario (`trivial` is GET /health/live), and whether each run's data checked out. */
type Runs = Record<string, { cpuUs: number[]; correct: boolean[] }>;

async function main(): Promise<void> {
  const [beforeRoot, afterRoot] = process.argv.slice(2, 4).map((path) => resolve(path));
  const roots = [beforeRoot, afterRoot].filter((root) => root !== undefined);
  if (beforeRoot === undefined || roots.some((root) => !existsSync(join(root, 'package.json')))) {
    throw new Error('usage: npm run bench:compare -- <checkout before> [<checkout after>]');
  }
  for (const root of roots) {
    if (spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) throw new Error(`the build of ${root} failed`);
  }
  const unknown = SCENARIOS.filter((name) => !(name in RUNNERS));
  if (unknown.length > 0) throw new Error(`bench:compare runs ${Object.keys(RUNNERS).join(', ')}; not ${unknown.join(', ')}`);

  const tokens = new BenchTokens();
  const entries = { before: { entry: buildOf(beforeRoot), cwd: beforeRoot }, after: { entry: afterRoot === undefined ? FROM_BUILD : buildOf(afterRoot), cwd: afterRoot } };
  const runs: Record<string, Runs> = { before: {}, after: {} };
  for (let round = 0; round < ROUNDS; round++) {
    // Fresh processes every round: one process can run persistently faster or slower than another
    // of the same build (seen: ±20–40% on the trivial route), so only new pairs average that out.
    // Each round starts with the build the previous one ended with, so neither is always first.
    const labels = round % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const);
    const builds: Build[] = [];
    try {
      for (const label of labels) builds.push(await startBuild(label, entries[label].entry, entries[label].cwd, tokens));
      for (const build of builds) {
        measureLoadsWith(build.probe, await databaseServerPid(build.db));
        build.probe.next('trivial');
        const trivial = await runLoad({ url: `${build.app.url}/health/live`, connections: CONNECTIONS, duration: DURATION_SEC });
        record(runs[build.label], 'trivial', trivial.app?.cpuUsPerRequest, trivial.errors === 0);
        for (const name of SCENARIOS) {
          build.probe.next(name);
          const outcome = await RUNNERS[name](build.ctx, build.couponUsers, build.products);
          record(runs[build.label], name, outcome.app?.cpuUsPerRequest, outcome.correct);
          console.log(`round ${round + 1}, ${build.label}: ${name} ${outcome.app?.cpuUsPerRequest} µs CPU/req, correct ${outcome.correct}`);
        }
      }
    } finally {
      for (const build of builds) await stopBuild(build);
    }
  }
  report(`${beforeRoot} → ${afterRoot ?? 'this checkout'}`, runs.before, runs.after);
}

async function startBuild(label: string, entry: string[], cwd: string | undefined, tokens: BenchTokens): Promise<Build> {
  const database = { ...loadDatabaseConfig(), name: `bench_${label}_${Date.now()}` };
  const env = { DB_NAME: database.name, ADMIN_API_KEY: 'bench-admin-key', ...BENCH_AUTH_ENV, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' };
  const app = await startAppProcess(env, await freePort(), entry, cwd);
  const db = createPool({ host: database.host, port: database.port, user: database.user, password: database.password, database: database.name, connectionLimit: 8 });
  const ctx: BenchContext = { url: app.url, db, database, durationSec: DURATION_SEC, connections: CONNECTIONS, trivialRouteRps: 1, tokens, databaseBaselines: false };
  const products = await Promise.all(Array.from({ length: 50 }, (_, i) => insertProduct(db, 1_000 + i, 1_000)));
  const couponUsers = SCENARIOS.some((name) => name === 'coupon-rush' || name === 'sell-out') ? await insertUsers(db, 60_000) : [];
  await tokens.sign(couponUsers);
  return { label, app, db, database, probe: new AppProbe(app, HEAP_CAPS_MB.oldSpace), ctx, couponUsers, products };
}

async function stopBuild({ app, db, database }: Build): Promise<void> {
  await db.end();
  await app.stop();
  const server = await createConnection({ host: database.host, port: database.port, user: database.user, password: database.password });
  await server.query(`DROP DATABASE IF EXISTS \`${database.name}\``);
  await server.end();
}

function record(runs: Runs, name: string, cpuUs: number | undefined, correct: boolean): void {
  runs[name] ??= { cpuUs: [], correct: [] };
  runs[name].cpuUs.push(cpuUs ?? Number.NaN);
  runs[name].correct.push(correct);
}

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const percent = (change: number) => `${change > 0 ? '+' : ''}${Math.round(change * 100)}%`;

function report(builds: string, before: Runs, after: Runs): void {
  const rows = Object.keys(after).map((name) => {
    const [old, now] = [before[name].cpuUs, after[name].cpuUs];
    // The runs of one round are minutes closer than those of two: the round's own change drifts least.
    const roundChange = median(now.map((us, round) => us / old[round] - 1));
    const correct = [...before[name].correct, ...after[name].correct].every(Boolean);
    return `| ${name} | ${old.join(', ')} | ${now.join(', ')} | ${percent(mean(now) / mean(old) - 1)} | ${percent(roundChange)} | ${correct ? 'yes' : 'NO'} |`;
  });
  const table = [
    `CPU µs per answered request, ${ROUNDS} rounds of ${DURATION_SEC} s per load, the builds in turns: ${builds}.`,
    '',
    '| scenario | before (runs) | after (runs) | change of the means | median change within a round | correct |',
    '|---|---:|---:|---:|---:|:---:|',
    ...rows,
  ].join('\n');
  console.log(`\n${table}`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, 'compare.md'), `${table}\n`);
  writeFileSync(join(RESULTS_DIR, 'compare.json'), JSON.stringify({ builds, before, after, rounds: ROUNDS, durationSec: DURATION_SEC }, null, 2));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
