import { createServer } from 'node:net';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import { AuthMetrics } from './auth.metrics';
import { UserRateLimiter } from './rate-limiter';

/** A port nothing listens on: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

describe(UserRateLimiter.name, () => {
  it('counts per user in memory without REDIS_URL, with Retry-After in whole seconds', async () => {
    const sut = new UserRateLimiter({ perSecond: 2, redisUrl: undefined }, new AuthMetrics(new MetricsService()));

    await expect(sut.consume(1)).resolves.toEqual({ allowed: true });
    await expect(sut.consume(1)).resolves.toEqual({ allowed: true });
    await expect(sut.consume(1)).resolves.toEqual({ allowed: false, retryAfterSeconds: 1 });
    await expect(sut.consume(2)).resolves.toEqual({ allowed: true });
    await sut.onApplicationShutdown();
  });

  it('allows everything when the limit is 0', async () => {
    const sut = new UserRateLimiter({ perSecond: 0, redisUrl: 'redis://127.0.0.1:1' }, new AuthMetrics(new MetricsService()));

    for (let i = 0; i < 5; i++) await expect(sut.consume(1)).resolves.toEqual({ allowed: true });
    await sut.onApplicationShutdown();
  });

  it('serves requests while Redis cannot be reached, counting each and warning at most once per 10 s', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const metrics = new MetricsService();
    let now = 1_000_000;
    const sut = new UserRateLimiter({ perSecond: 1, redisUrl: `redis://127.0.0.1:${await closedPort()}` }, new AuthMetrics(metrics), () => now);
    const unreachableWarnings = () => warn.mock.calls.filter(([, message]) => String(message).includes('cannot be reached')).length;

    for (let i = 0; i < 5; i++) await expect(sut.consume(1)).resolves.toEqual({ allowed: true });
    expect(await metrics.registry.getSingleMetricAsString('rate_limit_store_errors_total')).toMatch(/ 5$/);
    expect(unreachableWarnings()).toBe(1);

    now += 9_999;
    await sut.consume(1);
    expect(unreachableWarnings()).toBe(1);

    now += 1;
    await sut.consume(1);
    expect(unreachableWarnings()).toBe(2);

    await sut.onApplicationShutdown();
    warn.mockRestore();
  });
});
