// `npm run bench`: starts the built app on a database of its own, runs the flash-sale scenarios
// with autocannon, measures same-run baselines, checks the data afterwards, and writes the report.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { createConnection, createPool, RowDataPacket } from 'mysql2/promise';
import { loadDatabaseConfig } from '../../src/config/app-config';
import { FROM_BUILD, HEAP_CAPS_MB, startAppProcess } from '../app-process';
import { AppProbe } from './app-usage';
import { CpuProfiler } from './cpu-profiler';
import { insertProduct, insertUsers } from './fixtures';
import { LoadResult, measureLoadsWith, runLoad } from './load';
import { databaseServerPid } from './machine-usage';
import { BENCH_AUTH_ENV, BenchTokens } from './tokens';
import { BenchContext, charges, checkout, couponHotRowLimit, couponRush, productPage, refund, ScenarioResult, sellOut, topProducts } from './scenarios';

const PORT = 3_900 + Math.floor(Math.random() * 90);
const DURATION_SEC = Number(process.env.BENCH_DURATION_SEC ?? 10);
const CONNECTIONS = 100;
/** `BENCH_SCENARIOS=charges,product-page` runs only those scenarios. */
const ONLY = process.env.BENCH_SCENARIOS?.split(',');
const selected = (name: string) => ONLY === undefined || ONLY.includes(name);
/** `BENCH_CPU_PROF=1` writes a V8 CPU profile of each timed load to bench-results/<scenario>.cpuprofile. */
const INSPECTOR = process.env.BENCH_CPU_PROF === '1' ? `127.0.0.1:${PORT + 1_000}` : undefined;
const RESULTS_DIR = join(__dirname, '..', '..', 'bench-results');

/**
 * CPU per operation as a multiple of the trivial route's CPU per request in the same run: the
 * figure that hardly depends on the machine or on what else runs. An operation is one request,
 * except checkout (order + payment) and refund (order + payment + cancel).
 */
const CPU_TARGETS: Record<string, { requestsPerOperation: number; maxRatioToTrivial?: number }> = {
  'coupon-rush': { requestsPerOperation: 1, maxRatioToTrivial: 2.5 },
  'sell-out': { requestsPerOperation: 1, maxRatioToTrivial: 1.6 },
  checkout: { requestsPerOperation: 2, maxRatioToTrivial: 9 },
  refund: { requestsPerOperation: 3, maxRatioToTrivial: 13 },
  charges: { requestsPerOperation: 1, maxRatioToTrivial: 4.5 },
  'product-page': { requestsPerOperation: 1, maxRatioToTrivial: 1.4 },
  'top-products': { requestsPerOperation: 1 },
};

async function main(): Promise<void> {
  const database = { ...loadDatabaseConfig(), name: `bench_${Date.now()}` };
  const entry = INSPECTOR ? [`--inspect=${INSPECTOR}`, ...FROM_BUILD] : FROM_BUILD;
  const app = await startAppProcess({ DB_NAME: database.name, ADMIN_API_KEY: 'bench-admin-key', ...BENCH_AUTH_ENV, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' }, PORT, entry);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const profiler = INSPECTOR ? await CpuProfiler.connect(INSPECTOR) : undefined;
  const probe = new AppProbe(app, HEAP_CAPS_MB.oldSpace, profiler, RESULTS_DIR);
  const db = createPool({ host: database.host, port: database.port, user: database.user, password: database.password, database: database.name, connectionLimit: 8 });
  measureLoadsWith(probe, await databaseServerPid(db));
  const peakRss: number[] = [];
  const sampler = setInterval(() => peakRss.push(app.peakRssMb()), 1_000);
  try {
    probe.next('trivial-route');
    const trivial = await runLoad({ url: `${app.url}/health/live`, connections: CONNECTIONS, duration: DURATION_SEC });
    const tokens = new BenchTokens();
    const ctx: BenchContext = { url: app.url, db, database, durationSec: DURATION_SEC, connections: CONNECTIONS, trivialRouteRps: trivial.rps, tokens };
    const products = await Promise.all(Array.from({ length: 50 }, (_, i) => insertProduct(db, 1_000 + i, 1_000)));

    const scenarios: ScenarioResult[] = [];
    const run = async (name: string, scenario: () => Promise<ScenarioResult>) => {
      if (!selected(name)) return;
      probe.next(name);
      const outcome = withCpuRatio(await scenario(), trivial);
      console.log(
        `${outcome.name}: ${outcome.rps} req/s, p99 ${outcome.p99Ms} ms, ratio ${outcome.ratio}, correct ${outcome.correct}, ` +
          `${outcome.app?.cpuUsPerRequest} µs CPU/req, ${outcome.cpuRatioToTrivial} × trivial (target ≤ ${outcome.cpuTargetRatio ?? '–'}), ` +
          `GC ${outcome.app?.gcPercent}%, app peak RSS so far ${Math.round(app.peakRssMb())} MB, machine idle ${outcome.machine?.machineIdlePercent}%`,
      );
      scenarios.push(outcome);
    };
    if (selected('coupon-rush') || selected('sell-out')) {
      const couponUsers = await insertUsers(db, 60_000);
      await tokens.sign(couponUsers);
      const hotRowLimit = await couponHotRowLimit(ctx, couponUsers);
      await run('coupon-rush', () => couponRush(ctx, couponUsers, hotRowLimit));
      await run('sell-out', () => sellOut(ctx, couponUsers, hotRowLimit));
    }
    await run('checkout', () => checkout(ctx));
    await run('refund', () => refund(ctx));
    await run('charges', () => charges(ctx));
    await run('product-page', () => productPage(ctx, products));
    await run('top-products', () => topProducts(ctx));

    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    const retries = [...metrics.matchAll(/^db_transaction_retries_total\{(.*)\} ([1-9]\d*)$/gm)].map(([, labels, n]) => `${labels}: ${n}`);
    const batchSizes = [...metrics.matchAll(/^coupon_issue_batch_size_(bucket\{le="[^"]+"\}|sum|count) (\S+)/gm)].map(([, series, n]) => `${series}: ${n}`);
    const [[server]] = await db.query<RowDataPacket[]>('SELECT VERSION() AS version');
    const report = {
      scenarios,
      peakRssMb: Math.round(Math.max(app.peakRssMb(), ...peakRss)),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, database: server.version },
    };
    writeReport(report, trivial, retries, batchSizes);
  } finally {
    clearInterval(sampler);
    profiler?.close();
    await db.end();
    await app.stop();
    const server = await createConnection({ host: database.host, port: database.port, user: database.user, password: database.password });
    await server.query(`DROP DATABASE IF EXISTS \`${database.name}\``);
    await server.end();
  }
}

function withCpuRatio(outcome: ScenarioResult, trivial: LoadResult): ScenarioResult {
  const { requestsPerOperation, maxRatioToTrivial } = CPU_TARGETS[outcome.name];
  const perRequest = outcome.app?.cpuUsPerRequest;
  const trivialPerRequest = trivial.app?.cpuUsPerRequest;
  if (perRequest === undefined || !trivialPerRequest) return outcome;
  const cpuRatioToTrivial = Math.round(((perRequest * requestsPerOperation) / trivialPerRequest) * 10) / 10;
  return {
    ...outcome,
    requestsPerOperation,
    cpuUsPerOperation: perRequest * requestsPerOperation,
    cpuRatioToTrivial,
    cpuTargetRatio: maxRatioToTrivial,
    meetsCpuTarget: maxRatioToTrivial === undefined ? undefined : cpuRatioToTrivial <= maxRatioToTrivial,
  };
}

function writeReport(
  report: { scenarios: ScenarioResult[]; peakRssMb: number; machine: Record<string, unknown> },
  trivial: LoadResult,
  retries: string[],
  batchSizes: string[],
): void {
  const header =
    '| scenario | req/s | p50 ms | p99 ms | errors | baseline req/s | ratio | correct | CPU µs/req | CPU µs/op | × trivial | target × trivial | heap peak/cap MB | GC % | RSS MB ' +
    '| load generator µs/req | database µs/req | machine idle % |';
  const rows = report.scenarios.map(
    (s) =>
      `| ${s.name} | ${s.rps} | ${s.p50Ms} | ${s.p99Ms} | ${s.errors} | ${s.baselineRps} | ${s.ratio} | ${s.correct ? 'yes' : 'NO'} ` +
      `| ${s.app?.cpuUsPerRequest} | ${s.cpuUsPerOperation} | ${s.cpuRatioToTrivial} | ${targetCell(s)} | ${s.app?.heapPeakMb}/${s.app?.heapCapMb} | ${s.app?.gcPercent} | ${s.app?.rssMb} ` +
      `| ${s.machine?.loadGeneratorCpuUsPerRequest} | ${s.machine?.databaseCpuUsPerRequest ?? 'n/a'} | ${s.machine?.machineIdlePercent} |`,
  );
  const table = [header, '|---|---:|---:|---:|---:|---:|---:|:---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|', ...rows].join('\n');
  const notes = report.scenarios.map((s) => `- **${s.name}**: ${s.notes}`).join('\n');
  const trivialLine =
    `Trivial route (GET /health/live, no database): ${trivial.rps} req/s, p50 ${trivial.p50Ms} ms, p99 ${trivial.p99Ms} ms, ${trivial.app?.cpuUsPerRequest} µs CPU/req, load generator ${trivial.machine?.loadGeneratorCpuUsPerRequest} µs/req, machine idle ${trivial.machine?.machineIdlePercent}%.\n` +
    `Transactions rerun after a deadlock or lock-wait timeout: ${retries.length > 0 ? retries.join('; ') : 'none'}.\n` +
    `Coupon issue batches (both coupon scenarios, cumulative): ${batchSizes.join('; ')}.`;
  const markdown = `# Benchmark\n\n${table}\n\nPeak app RSS: ${report.peakRssMb} MB. ${trivialLine}\nMachine: ${JSON.stringify(report.machine)}\n\n${notes}\n`;
  writeFileSync(join(RESULTS_DIR, 'latest.md'), markdown);
  writeFileSync(join(RESULTS_DIR, 'latest.json'), `${JSON.stringify({ scenarios: report.scenarios, trivialRoute: trivial, peakRssMb: report.peakRssMb, machine: report.machine }, null, 2)}\n`);
  console.log(`\n${table}\n\n${trivialLine}\nPeak app RSS ${report.peakRssMb} MB — written to bench-results/latest.md and latest.json`);
}

const targetCell = (s: ScenarioResult) => (s.cpuTargetRatio === undefined ? '–' : `≤ ${s.cpuTargetRatio} ${s.meetsCpuTarget ? 'met' : 'NOT met'}`);

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
