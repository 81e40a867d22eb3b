import { UserRateLimiter } from '../src/auth/rate-limiter';
import { authHeader } from './support/auth';
import { makeUser } from './support/factories';
import { useRedisServer } from './support/redis-server';
import { startTestApp, TestApp } from './support/test-app';

const LIMIT = 5;

describe('rate limit shared by two instances through Redis (e2e)', () => {
  let one: TestApp;
  let two: TestApp;
  // afterAll hooks run in declaration order: the apps close before their Redis is killed.
  afterAll(async () => {
    await two?.close();
    await one?.close();
  });
  const redis = useRedisServer();

  beforeAll(async () => {
    const env = { REDIS_URL: redis.url, RATE_LIMIT_PER_USER_PER_SECOND: String(LIMIT) };
    one = await startTestApp(env);
    two = await startTestApp({ ...env, DB_NAME: one.config.database.name }, { keepDatabase: true });
  });

  /** `count` concurrent balance reads of the user, alternating between the two instances. */
  async function burst(userId: number, count: number): Promise<number[]> {
    const auth = await authHeader(userId);
    const responses = await Promise.all(Array.from({ length: count }, (_, i) => (i % 2 === 0 ? one : two).http.get(`/api/v1/users/${userId}/balance`).set(auth)));
    return responses.map((response) => response.status);
  }

  const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

  it('lets exactly the limit through a burst spread over both instances', async () => {
    const user = await makeUser(one.http);
    // The library keeps one counter per user in Redis: its script does `SET key 0 EX 1 NX`, then
    // INCRBY, so a window starts at the user's first request and is never extended. A burst slower
    // than 1 s would span two windows and rightly pass more than LIMIT, which no wall clock can rule
    // out on a loaded machine. So the test opens the user's window itself, with 60 s to run: NX
    // keeps an existing key and its expiry, every request of the burst counts into that one window,
    // and exactly LIMIT may pass — checked after the burst from Redis (the key still lives, holding
    // every request). Counting per instance instead would pass LIMIT on each instance, as each gets
    // 2 × LIMIT requests: 2 × LIMIT in all.
    const key = one.app.get(UserRateLimiter).storeKey(user.id);
    await redis.client.set(key, 0, 'PX', 60_000);

    const statuses = await burst(user.id, 4 * LIMIT);

    expect(count(statuses, 200)).toBe(LIMIT);
    expect(count(statuses, 429)).toBe(3 * LIMIT);
    expect(await redis.client.pttl(key)).toBeGreaterThan(0);
    expect(await redis.client.get(key)).toBe(String(4 * LIMIT));
  });

  it("opens a user's window at the first request, for 1 s", async () => {
    const user = await makeUser(one.http);
    const key = one.app.get(UserRateLimiter).storeKey(user.id);

    expect(await burst(user.id, 1)).toEqual([200]);

    // -2 (already gone) on a machine slower than the window; never -1 (a key without expiry).
    const ttl = await redis.client.pttl(key);
    expect(ttl === -2 || (ttl > 0 && ttl <= 1_000)).toBe(true);
  });

  it("answers 429 with Retry-After from either instance, and leaves another user's requests alone", async () => {
    const [limited, other] = [await makeUser(one.http), await makeUser(one.http)];
    await redis.client.set(one.app.get(UserRateLimiter).storeKey(limited.id), LIMIT, 'PX', 60_000);

    // Another user's LIMIT requests all pass, however many windows they take.
    const [limitedStatuses, otherStatuses] = await Promise.all([burst(limited.id, 2), burst(other.id, LIMIT)]);

    expect(limitedStatuses).toEqual([429, 429]);
    expect(otherStatuses).toEqual(Array(LIMIT).fill(200));
    for (const instance of [one, two]) {
      const refused = await instance.http.get(`/api/v1/users/${limited.id}/balance`).set(await authHeader(limited.id)).expect(429);
      expect(refused.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
      expect(refused.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    }
  });
});
