import { Writable } from 'node:stream';
import { authHeader } from './support/auth';
import { makeUser, UserFixture } from './support/factories';
import { useRedisServer } from './support/redis-server';
import { startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const LIMIT = 3;
// A sanity bound only: a request Redis held up would hang until Jest's own timeout.
const ANSWERED_WITHIN_MS = 5_000;

describe('rate limit while Redis cannot be reached (e2e)', () => {
  const logLines: string[] = [];
  const logs = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  let app: TestApp;
  let user: UserFixture;
  // afterAll hooks run in declaration order: the app closes before its Redis is killed.
  afterAll(async () => {
    await app?.close();
  });
  const redis = useRedisServer();
  beforeAll(async () => {
    app = await startTestApp({ REDIS_URL: redis.url, RATE_LIMIT_PER_USER_PER_SECOND: String(LIMIT), LOG_LEVEL: 'warn' }, { logDestination: logs });
    user = await makeUser(app.http);
  });

  async function burst(count: number): Promise<number[]> {
    const auth = await authHeader(user.id);
    const responses = await Promise.all(Array.from({ length: count }, () => app.http.get(`/api/v1/users/${user.id}/balance`).set(auth).timeout(ANSWERED_WITHIN_MS)));
    return responses.map((response) => response.status);
  }

  // More than LIMIT at once: some are refused while Redis counts (retried, should the window turn over mid-burst).
  const limitApplies = () => waitFor('the rate limit to apply', async () => (await burst(2 * LIMIT)).includes(429));

  async function storeErrors(): Promise<number> {
    const text = (await app.http.get('/metrics').expect(200)).text;
    return Number(/^rate_limit_store_errors_total (\d+)$/m.exec(text)?.[1]);
  }

  const unreachableWarnings = () => logLines.filter((line) => line.includes('cannot be reached')).length;

  it('serves every request while Redis is killed, counts and logs it, and limits again once Redis is back', async () => {
    await limitApplies();
    const before = await storeErrors();

    await redis.kill();
    const statuses = await burst(4 * LIMIT);

    expect(statuses).toEqual(Array(4 * LIMIT).fill(200));
    expect(await storeErrors()).toBe(before + 4 * LIMIT);
    // Log lines reach the destination asynchronously.
    await waitFor('the warning that Redis cannot be reached', () => unreachableWarnings() >= 1);

    await redis.start();
    await limitApplies();
  });

  it('serves every request while Redis hangs (answers nothing), and limits again once it answers', async () => {
    await limitApplies();
    const before = await storeErrors();

    redis.pause();
    try {
      // Without a bound on each Redis call these would wait for as long as Redis hangs.
      const statuses = await burst(2 * LIMIT);
      expect(statuses).toEqual(Array(2 * LIMIT).fill(200));
      expect(await storeErrors()).toBe(before + 2 * LIMIT);
    } finally {
      redis.resume();
    }

    await limitApplies();
  });
});
