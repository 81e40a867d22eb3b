import { request as httpRequest, Agent } from 'node:http';
import { gzipSync } from 'node:zlib';
import { AppProcess, freePort, FROM_SOURCES, HEAP_CAPS_MB, startAppProcess } from '../scripts/app-process';
import { TOKEN_CACHE_BUDGET } from '../src/auth/token-verifier';
import { bearerSync, TEST_AUTH_ENV } from './support/auth';
import { ADMIN_KEY, dropDatabase, TEST_LIMITS_ENV, testConfig } from './support/test-app';

/**
 * What a hostile request costs the service, in CPU time of the service's own process
 * (`process_cpu_seconds_total`, not wall time), over a batch of identical requests after a warm-up.
 * A request that will be refused — for its token, its shape or its size — must cost about what a
 * plain 401 costs (contract, Conventions).
 */
const BATCH = 200;
const MAX_UNAUTHENTICATED_MS = 3;
const MAX_SIGNED_IN_MS = 5;

interface Answer {
  status: number;
  body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });
afterAll(() => agent.destroy());

function send(base: string, method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, base);
    const request = httpRequest(url, { method, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) }, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body: Buffer.concat(chunks).toString() }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function metric(base: string, name: string): Promise<number> {
  const { body } = await send(base, 'GET', '/metrics', {});
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(body)![1]);
}
const cpuSeconds = (base: string) => metric(base, 'process_cpu_seconds_total');

interface Family {
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  status: number;
  maxMs: number;
}

const json = { 'content-type': 'application/json' };
const wideArray = (values: number) => Buffer.from(JSON.stringify({ items: new Array<number>(values).fill(0) }));
const manyKeys = (keys: number) => Buffer.from(JSON.stringify({ amount: 1, ...Object.fromEntries(Array.from({ length: keys }, (_, i) => [`f${i}`, 1])) }));
const manyParams = Array.from({ length: 1_000 }, (_, i) => `q${i}=1`).join('&');

const FAMILIES: Family[] = [
  { name: 'a plain 401 (baseline)', method: 'POST', path: '/api/v1/orders', headers: json, body: Buffer.from('{}'), status: 401, maxMs: MAX_UNAUTHENTICATED_MS },
  // About 100 bytes on the wire, a 63 KB JSON body once inflated.
  { name: 'a gzip body, no token', method: 'POST', path: '/api/v1/orders', headers: { ...json, 'content-encoding': 'gzip' }, body: gzipSync(wideArray(31_000)), status: 401, maxMs: MAX_UNAUTHENTICATED_MS },
  { name: 'a gzip body to a public route', method: 'GET', path: '/api/v1/products', headers: { ...json, 'content-encoding': 'gzip' }, body: gzipSync(wideArray(31_000)), status: 415, maxMs: MAX_UNAUTHENTICATED_MS },
  { name: 'a 63 KB array, no token', method: 'POST', path: '/api/v1/orders', headers: json, body: wideArray(31_000), status: 401, maxMs: MAX_UNAUTHENTICATED_MS },
  { name: 'a 63 KB array to a public route', method: 'GET', path: '/api/v1/products', headers: json, body: wideArray(31_000), status: 400, maxMs: MAX_UNAUTHENTICATED_MS },
  { name: '1,000 query parameters', method: 'GET', path: `/api/v1/products?${manyParams}`, headers: {}, status: 400, maxMs: MAX_UNAUTHENTICATED_MS },
  { name: '5,000 unknown fields, signed in', method: 'POST', path: '/api/v1/users/1/balance/charge', headers: { ...json, ...bearerSync(1) }, body: manyKeys(5_000), status: 400, maxMs: MAX_SIGNED_IN_MS },
  { name: '900 unknown fields, signed in', method: 'POST', path: '/api/v1/users/1/balance/charge', headers: { ...json, ...bearerSync(1) }, body: manyKeys(900), status: 400, maxMs: MAX_SIGNED_IN_MS },
];

describe('what a hostile request costs (e2e, the service as a process)', () => {
  const config = testConfig();
  let app: AppProcess;
  const costs: Record<string, number> = {};

  beforeAll(async () => {
    app = await startAppProcess({ ...TEST_AUTH_ENV, DB_NAME: config.database.name, ADMIN_API_KEY: ADMIN_KEY, LOG_LEVEL: 'silent', ...TEST_LIMITS_ENV }, await freePort(), FROM_SOURCES);
  }, 90_000);

  afterAll(async () => {
    await app?.stop();
    await dropDatabase(config);
    console.log(Object.entries(costs).map(([name, ms]) => `${name}: ${ms.toFixed(3)} ms CPU per request`).join('\n'));
  });

  it.each(FAMILIES)('$name costs at most its bound in CPU and gets a small answer', async (family) => {
    const once = () => send(app.url, family.method, family.path, family.headers, family.body);
    for (let i = 0; i < 20; i++) await once();
    const scrapeStart = await cpuSeconds(app.url);
    const scrapeCost = (await cpuSeconds(app.url)) - scrapeStart;
    const before = await cpuSeconds(app.url);
    const answers: Answer[] = [];
    for (let i = 0; i < BATCH; i++) answers.push(await once());
    const after = await cpuSeconds(app.url);
    const msPerRequest = ((after - before - scrapeCost) * 1_000) / BATCH;
    costs[family.name] = msPerRequest;

    expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([family.status]));
    const error = JSON.parse(answers[0].body) as { details?: unknown[] };
    expect(error.details?.length ?? 0).toBeLessThanOrEqual(20);
    expect(answers[0].body.length).toBeLessThan(4_096);
    expect(msPerRequest).toBeLessThanOrEqual(family.maxMs);
  }, 60_000);
});

describe('10,000 distinct large valid tokens (e2e, the service as a process with its production heap caps)', () => {
  const config = testConfig();
  let app: AppProcess;
  const TOKENS = 10_000;
  // Identity providers that put group claims in tokens issue 8 KB ones; these are 14 KB.
  const groups = 'g'.repeat(10_400);

  beforeAll(async () => {
    const heapCaps = [`--max-semi-space-size=${HEAP_CAPS_MB.semiSpace}`, `--max-old-space-size=${HEAP_CAPS_MB.oldSpace}`];
    app = await startAppProcess({ ...TEST_AUTH_ENV, DB_NAME: config.database.name, ADMIN_API_KEY: ADMIN_KEY, LOG_LEVEL: 'silent', ...TEST_LIMITS_ENV }, await freePort(), [...heapCaps, ...FROM_SOURCES]);
  }, 90_000);

  afterAll(async () => {
    await app?.stop();
    await dropDatabase(config);
  });

  it('keeps the process up and its heap within the token cache budget', async () => {
    const heapBefore = await metric(app.url, 'nodejs_heap_size_used_bytes');
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < TOKENS) {
        const userId = ++next;
        const { Authorization } = bearerSync(userId, { groups });
        expect(Authorization.length).toBeGreaterThan(14_000);
        const { status } = await send(app.url, 'GET', `/api/v1/users/${userId}/balance`, { Authorization });
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    const heapAfter = await metric(app.url, 'nodejs_heap_size_used_bytes');
    console.log(`heap used ${(heapBefore / 2 ** 20).toFixed(0)} → ${(heapAfter / 2 ** 20).toFixed(0)} MiB after ${TOKENS} tokens of 14 KB`);

    // Every token verified (the users do not exist: 404), none refused, and the process never restarted.
    expect(Object.fromEntries(statuses)).toEqual({ 404: TOKENS });
    expect(() => process.kill(app.pid, 0)).not.toThrow();
    expect((await send(app.url, 'GET', '/health/live', {})).status).toBe(200);
    // Cached unbounded, the tokens alone would be 140 MB; the cache holds at most 16 MiB of them.
    expect(heapAfter - heapBefore).toBeLessThan(TOKEN_CACHE_BUDGET.bytes + 32 * 2 ** 20);
  }, 180_000);
});
