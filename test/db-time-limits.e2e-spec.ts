import type { Connection } from 'mysql2/promise';
import { authHeader } from './support/auth';
import { makeUser } from './support/factories';
import { startTcpProxy, TcpProxy } from './support/tcp-proxy';
import { startTestApp, TestApp, testConfig } from './support/test-app';
import { waitFor } from './support/wait-for';

const TIMEOUT_MS = 1_000;
// The bound plus scheduling slack on a busy two-core machine; a stalled request used to hang for the whole stall.
const ANSWERED_WITHIN_MS = TIMEOUT_MS + 1_500;

describe('database time limits: DB_QUERY_TIMEOUT_MS (e2e)', () => {
  let proxy: TcpProxy;
  let t: TestApp;

  beforeAll(async () => {
    const base = testConfig();
    proxy = await startTcpProxy(base.database.host, base.database.port);
    t = await startTestApp({
      DB_HOST: '127.0.0.1',
      DB_PORT: String(proxy.port),
      DB_NAME: base.database.name,
      DB_POOL_SIZE: '2',
      DB_QUERY_TIMEOUT_MS: String(TIMEOUT_MS),
    });
  });

  afterAll(async () => {
    proxy.resume();
    await t.close();
    await proxy.close();
  });

  const timed = async <T>(call: () => Promise<T>): Promise<{ response: T; ms: number }> => {
    const started = Date.now();
    const response = await call();
    return { response, ms: Date.now() - started };
  };

  it('a stalled database: every request, in a statement or waiting for a connection, gets 503 within the bound; then it recovers', async () => {
    const user = await makeUser(t.http, { balance: 1_000 });
    const auth = await authHeader(user.id);
    proxy.pause();
    try {
      // Twice the pool: half wait for a connection that never comes back.
      const answers = await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          timed(() =>
            i % 2 === 0
              ? t.http.get(`/api/v1/users/${user.id}/balance`).set(auth)
              : t.http.post(`/api/v1/users/${user.id}/balance/charge`).set(auth).send({ amount: 500 }),
          ),
        ),
      );
      for (const { response, ms } of answers) {
        expect(response.status).toBe(503);
        expect(response.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
        expect(ms).toBeLessThan(ANSWERED_WITHIN_MS);
      }
      // Later requests too: the timed-out connections were closed, not left queued behind the stall.
      const later = await timed(() => t.http.get(`/api/v1/users/${user.id}/balance`).set(auth));
      expect(later.response.status).toBe(503);
      expect(later.ms).toBeLessThan(ANSWERED_WITHIN_MS);
    } finally {
      proxy.resume();
    }

    await waitFor('a balance read after the stall', async () => (await t.http.get(`/api/v1/users/${user.id}/balance`).set(auth)).status === 200);
    await t.http.post(`/api/v1/users/${user.id}/balance/charge`).set(auth).send({ amount: 500 }).expect(200);
    // No charge made during the stall was applied after it.
    expect((await t.http.get(`/api/v1/users/${user.id}/balance`).set(auth).expect(200)).body.balance).toBe(1_500);
  });

  describe("the database's own statement limit", () => {
    let holder: Connection;

    beforeEach(async () => {
      holder = await t.openSession();
    });

    afterEach(async () => {
      await holder.end();
    });

    it('is set on the service’s sessions', async () => {
      const [row] = await t.query<{ limit: number }>('SELECT @@SESSION.max_statement_time AS `limit`');
      expect(Number(row.limit)).toBe(TIMEOUT_MS / 1_000);
    });

    it('a statement waiting on a row lock is stopped at the bound: 503, nothing changed', async () => {
      const user = await makeUser(t.http, { balance: 1_000 });
      await holder.query('START TRANSACTION');
      await holder.query('SELECT balance FROM user_balances WHERE user_id = ? FOR UPDATE', [user.id]);
      try {
        const { response, ms } = await timed(async () =>
          t.http.post(`/api/v1/users/${user.id}/balance/charge`).set(await authHeader(user.id)).send({ amount: 500 }),
        );
        expect(response.status).toBe(503);
        expect(response.body.code).toBe('SERVICE_UNAVAILABLE');
        expect(ms).toBeLessThan(ANSWERED_WITHIN_MS);
      } finally {
        await holder.query('ROLLBACK');
      }
      expect((await t.http.get(`/api/v1/users/${user.id}/balance`).set(await authHeader(user.id)).expect(200)).body.balance).toBe(1_000);
    });
  });
});
