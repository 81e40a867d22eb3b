// `npm run bench`: starts the built app on a database of its own, runs the flash-sale scenarios
// with autocannon, measures same-run baselines, checks the data afterwards, and writes the report.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { createConnection, createPool, RowDataPacket } from 'mysql2/promise';
import { loadDatabaseConfig } from '../../src/config/app-config';
import { startAppProcess } from '../app-process';
import { insertProduct, insertUsers } from './fixtures';
import { LoadResult, runLoad } from './load';
import { BENCH_AUTH_ENV, BenchTokens } from './tokens';
import { BenchContext, charges, checkout, couponHotRowLimit, couponRush, productPage, ScenarioResult, sellOut, topProducts } from './scenarios';

const PORT = 3_900 + Math.floor(Math.random() * 90);
const DURATION_SEC = Number(process.env.BENCH_DURATION_SEC ?? 10);
const CONNECTIONS = 100;

async function main(): Promise<void> {
  const database = { ...loadDatabaseConfig(), name: `bench_${Date.now()}` };
  const app = await startAppProcess({ DB_NAME: database.name, ADMIN_API_KEY: 'bench-admin-key', ...BENCH_AUTH_ENV, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' }, PORT);
  const db = createPool({ host: database.host, port: database.port, user: database.user, password: database.password, database: database.name, connectionLimit: 8 });
  const peakRss: number[] = [];
  const sampler = setInterval(() => peakRss.push(app.peakRssMb()), 1_000);
  try {
    const trivial = await runLoad({ url: `${app.url}/health/live`, connections: CONNECTIONS, duration: DURATION_SEC });
    const tokens = new BenchTokens();
    const ctx: BenchContext = { url: app.url, db, database, durationSec: DURATION_SEC, connections: CONNECTIONS, trivialRouteRps: trivial.rps, tokens };
    const products = await Promise.all(Array.from({ length: 50 }, (_, i) => insertProduct(db, 1_000 + i, 1_000)));
    const couponUsers = await insertUsers(db, 60_000);
    await tokens.sign(couponUsers);

    const scenarios: ScenarioResult[] = [];
    const run = async (scenario: Promise<ScenarioResult>) => {
      const outcome = await scenario;
      console.log(`${outcome.name}: ${outcome.rps} req/s, p99 ${outcome.p99Ms} ms, ratio ${outcome.ratio}, correct ${outcome.correct}, app peak RSS so far ${Math.round(app.peakRssMb())} MB`);
      scenarios.push(outcome);
    };
    const hotRowLimit = await couponHotRowLimit(ctx, couponUsers);
    await run(couponRush(ctx, couponUsers, hotRowLimit));
    await run(sellOut(ctx, couponUsers, hotRowLimit));
    await run(checkout(ctx));
    await run(charges(ctx));
    await run(productPage(ctx, products));
    await run(topProducts(ctx));

    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    const retries = [...metrics.matchAll(/^db_transaction_retries_total\{(.*)\} (\d+)/gm)].map(([, labels, n]) => `${labels}: ${n}`);
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
    await db.end();
    await app.stop();
    const server = await createConnection({ host: database.host, port: database.port, user: database.user, password: database.password });
    await server.query(`DROP DATABASE IF EXISTS \`${database.name}\``);
    await server.end();
  }
}

function writeReport(
  report: { scenarios: ScenarioResult[]; peakRssMb: number; machine: Record<string, unknown> },
  trivial: LoadResult,
  retries: string[],
  batchSizes: string[],
): void {
  const header = '| scenario | req/s | p50 ms | p99 ms | errors | baseline req/s | ratio | correct |';
  const rows = report.scenarios.map((s) => `| ${s.name} | ${s.rps} | ${s.p50Ms} | ${s.p99Ms} | ${s.errors} | ${s.baselineRps} | ${s.ratio} | ${s.correct ? 'yes' : 'NO'} |`);
  const table = [header, '|---|---:|---:|---:|---:|---:|---:|:---:|', ...rows].join('\n');
  const notes = report.scenarios.map((s) => `- **${s.name}**: ${s.notes}`).join('\n');
  const trivialLine =
    `Trivial route (GET /health/live, no database): ${trivial.rps} req/s, p50 ${trivial.p50Ms} ms, p99 ${trivial.p99Ms} ms.\n` +
    `Transactions rerun after a deadlock or lock-wait timeout: ${retries.length > 0 ? retries.join('; ') : 'none'}.\n` +
    `Coupon issue batches (both coupon scenarios, cumulative): ${batchSizes.join('; ')}.`;
  const markdown = `# Benchmark\n\n${table}\n\nPeak app RSS: ${report.peakRssMb} MB. ${trivialLine}\nMachine: ${JSON.stringify(report.machine)}\n\n${notes}\n`;
  const dir = join(__dirname, '..', '..', 'bench-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.md'), markdown);
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify({ scenarios: report.scenarios, peakRssMb: report.peakRssMb, machine: report.machine }, null, 2)}\n`);
  console.log(`\n${table}\n\n${trivialLine}\nPeak app RSS ${report.peakRssMb} MB — written to bench-results/latest.md and latest.json`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
