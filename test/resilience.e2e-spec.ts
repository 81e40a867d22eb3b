import { createConnection } from 'mysql2/promise';
import request from 'supertest';
import { AppProcess, FROM_SOURCES, startAppProcess } from '../scripts/app-process';
import { MockDataPlatform, startMockDataPlatform } from '../src/mock-data-platform/mock-data-platform';
import { makeCoupon, makeProduct, makeUser } from './support/factories';
import { deliveryViolations, expectedDeliveries, findViolations } from './support/invariants';
import { startTcpProxy } from './support/tcp-proxy';
import { authHeader, TEST_AUTH_ENV } from './support/auth';
import { ADMIN_KEY, dropDatabase, startTestApp, TEST_LIMITS_ENV, testConfig } from './support/test-app';
import { waitFor } from './support/wait-for';
import { emptyCounts, Shop, shop, WorkloadCounts } from './support/workload';

describe('resilience (e2e)', () => {
  describe('the database goes away and comes back', () => {
    it('answers 503 while it is down, reports not ready, and recovers by itself', async () => {
      const base = testConfig();
      const proxy = await startTcpProxy(base.database.host, base.database.port);
      const t = await startTestApp({ DB_HOST: '127.0.0.1', DB_PORT: String(proxy.port), DB_NAME: base.database.name });
      try {
        const user = await makeUser(t.http, { balance: 1_000 });
        await proxy.cut();

        const down = await t.http.get(`/api/v1/users/${user.id}/balance`).set(await authHeader(user.id)).expect(503);
        expect(down.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
        const charge = await t.http.post(`/api/v1/users/${user.id}/balance/charge`).set(await authHeader(user.id)).send({ amount: 500 }).expect(503);
        expect(charge.body.code).toBe('SERVICE_UNAVAILABLE');
        const ready = await t.http.get('/health/ready').expect(503);
        expect(ready.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
        await t.http.get('/health/live').expect(200);

        await proxy.restore();
        await waitFor('readiness after the database is back', async () => (await t.http.get('/health/ready')).status === 200);
        await waitFor('a balance read after the database is back', async () => (await t.http.get(`/api/v1/users/${user.id}/balance`).set(await authHeader(user.id))).status === 200);
        await t.http.post(`/api/v1/users/${user.id}/balance/charge`).set(await authHeader(user.id)).send({ amount: 500 }).expect(200, { userId: user.id, balance: 1_500 });
      } finally {
        await t.close();
        await proxy.close();
      }
    });
  });

  describe('several processes on one database', () => {
    let platform: MockDataPlatform;
    const config = testConfig();
    const env = {
      DB_NAME: config.database.name,
      ADMIN_API_KEY: ADMIN_KEY,
      ...TEST_AUTH_ENV,
      ...TEST_LIMITS_ENV,
      LOG_LEVEL: 'error',
      OUTBOX_POLL_INTERVAL_MS: '50',
      OUTBOX_BACKOFF_BASE_MS: '20',
      OUTBOX_BACKOFF_MAX_MS: '200',
      DATA_PLATFORM_TIMEOUT_MS: '1000',
    };
    const ports = [4_600 + Math.floor(Math.random() * 200), 4_800 + Math.floor(Math.random() * 200)];
    const processes: AppProcess[] = [];
    let query: <T>(sql: string, params?: unknown[]) => Promise<T[]>;
    let closeDb: () => Promise<void>;

    beforeAll(async () => {
      platform = await startMockDataPlatform();
      // Both start at once: migrations run once, under the named lock.
      processes.push(...(await Promise.all(ports.map((port) => startAppProcess({ ...env, DATA_PLATFORM_URL: platform.url }, port, FROM_SOURCES)))));
      const connection = await createConnection({ ...connectionOptions(), database: config.database.name });
      query = async <T>(sql: string, params: unknown[] = []) => (await connection.query(sql, params))[0] as T[];
      closeDb = () => connection.end();
    }, 120_000);

    afterAll(async () => {
      await Promise.all(processes.map((p) => p.stop('SIGKILL')));
      await closeDb();
      await platform.close();
      await dropDatabase(config);
    });

    function connectionOptions() {
      const { host, port, user, password } = config.database;
      return { host, port, user, password };
    }

    async function arrange(users: number, stock: number[]): Promise<{ shopData: Shop; initialStock: Map<number, number> }> {
      const admin = request(processes[0].url);
      const products = await Promise.all(stock.map((s, i) => makeProduct(admin, { stock: s, price: 1_000 * (i + 1) })));
      const shoppers = await Promise.all(Array.from({ length: users }, () => makeUser(admin, { balance: 10_000 })));
      const coupon = await makeCoupon(admin, { totalQuantity: 15 });
      return {
        shopData: { userIds: shoppers.map((u) => u.id), productIds: products.map((p) => p.id), couponId: coupon.id },
        initialStock: new Map(products.map((p) => [p.id, p.stock])),
      };
    }

    /** Every paid and refunded order's event at the platform, at least once, never as two different events, a refund after its payment. */
    async function expectAllDelivered(): Promise<number> {
      const expected = await expectedDeliveries(query);
      await waitFor('every paid and refunded order at the platform', () => new Set(platform.events.map((e) => e.idempotencyKey)).size === expected, 30_000);
      expect(deliveryViolations(platform.events)).toEqual([]);
      return expected;
    }

    const runShoppers = (agents: ReturnType<typeof request>[], shopData: Shop, userIds: number[], counts: WorkloadCounts) =>
      Promise.all(userIds.map((userId, i) => shop(agents as never, shopData, userId, userId * 31 + i, counts)));

    it('two instances share the load and every invariant holds', async () => {
      const { shopData, initialStock } = await arrange(40, [25, 40, 300]);
      const counts = emptyCounts();

      await runShoppers(processes.map((p) => request(p.url)), shopData, shopData.userIds, counts);

      expect(counts.serverErrors).toBe(0);
      expect(counts.networkErrors).toBe(0);
      const paid = await expectAllDelivered();
      expect(await findViolations(query, initialStock)).toEqual([]);
      console.info(`two instances: ${counts.requests} requests, ${paid} events delivered, statuses ${JSON.stringify(counts.statuses)}`);
    }, 120_000);

    it('an instance killed mid-workload (SIGKILL) loses nothing once restarted', async () => {
      const { shopData, initialStock } = await arrange(40, [25, 40, 300]);
      const counts = emptyCounts();
      const agents = processes.map((p) => request(p.url));
      const firstHalf = shopData.userIds.slice(0, 20);

      const running = runShoppers(agents, shopData, firstHalf, counts);
      await waitFor('the workload under way', () => counts.requests >= 40);
      await processes[1].stop('SIGKILL');
      await running;
      processes[1] = await startAppProcess({ ...env, DATA_PLATFORM_URL: platform.url }, ports[1], FROM_SOURCES);
      await runShoppers(agents, shopData, shopData.userIds.slice(20), counts);

      expect(counts.serverErrors).toBe(0);
      expect(counts.networkErrors).toBeGreaterThan(0);
      const paid = await expectAllDelivered();
      expect(await findViolations(query, initialStock)).toEqual([]);
      console.info(`crash: ${counts.requests} requests (${counts.networkErrors} cut off by the kill), ${paid} events delivered`);
    }, 120_000);
  });
});
