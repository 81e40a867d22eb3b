import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AuthMetrics } from './auth.metrics';

/** A Redis call not answered within this counts as Redis unreachable (the request is served). */
export const STORE_TIMEOUT_MS = 200;
const WINDOW_SECONDS = 1;
const WARNING_INTERVAL_MS = 10_000;
const RECONNECT_DELAY_MAX_MS = 500;
const KEY_PREFIX = 'rate-limit:user';
const CONNECT_TIMEOUT_MS = 1_000;
const SHUTDOWN_WAIT_MS = CONNECT_TIMEOUT_MS + 100;

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const ALLOWED: RateDecision = { allowed: true };

export interface RateLimitSettings {
  /** Requests per user per second; 0 = no limit. */
  perSecond: number;
  /** Shared counting in Redis when set; per instance (in memory) when not. */
  redisUrl: string | undefined;
}

/**
 * The per-user rate limit: `perSecond` points per user in a fixed 1-s window that starts at the
 * user's first request (rate-limiter-flexible; in Redis its Lua script counts atomically, so every
 * instance shares one count). Redis never holds a request up: an unanswered call fails after
 * STORE_TIMEOUT_MS and the request is served without the limit (fail-open), counted and logged.
 */
export class UserRateLimiter implements OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly limiter: RateLimiterAbstract | undefined;
  private readonly redis: Redis | undefined;
  private lastWarningAt = -Infinity;
  private unreachable = false;
  private shuttingDown = false;

  readonly perSecond: number;

  constructor(
    settings: RateLimitSettings,
    private readonly metrics: AuthMetrics,
    private readonly now: () => number = Date.now,
  ) {
    this.perSecond = settings.perSecond;
    if (settings.perSecond === 0) return;
    const options = { points: settings.perSecond, duration: WINDOW_SECONDS, keyPrefix: KEY_PREFIX };
    if (settings.redisUrl === undefined) {
      this.limiter = new RateLimiterMemory(options);
      return;
    }
    this.redis = new Redis(settings.redisUrl, {
      commandTimeout: STORE_TIMEOUT_MS,
      connectTimeout: CONNECT_TIMEOUT_MS,
      // Fail at once while disconnected instead of queueing the call until Redis is back.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      // Keep reconnecting, at most RECONNECT_DELAY_MAX_MS apart, so the limit returns soon; not once shutting down.
      retryStrategy: (attempt) => (this.shuttingDown ? null : Math.min(attempt * 50, RECONNECT_DELAY_MAX_MS)),
    });
    this.redis.on('error', (error: Error) => this.warnUnreachable(error));
    this.redis.on('ready', () => {
      if (this.unreachable) this.logger.log('Redis answers again: the per-user rate limit applies');
      this.unreachable = false;
    });
    this.limiter = new RateLimiterRedis({ ...options, storeClient: this.redis, rejectIfRedisNotReady: true });
  }

  /** Takes one request of `userId` from its window; refused when the window is used up. */
  async consume(userId: number): Promise<RateDecision> {
    if (this.limiter === undefined) return ALLOWED;
    try {
      await this.limiter.consume(String(userId));
      return ALLOWED;
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(outcome.msBeforeNext / 1_000)) };
      if (this.redis === undefined) throw outcome;
      this.metrics.rateLimitStoreErrors.inc();
      this.warnUnreachable(outcome);
      return ALLOWED;
    }
  }

  /** The key the library keeps `userId`'s count under in the store. */
  storeKey(userId: number): string {
    if (this.limiter === undefined) throw new Error('the rate limit is off');
    return this.limiter.getKey(String(userId));
  }

  async onApplicationShutdown(): Promise<void> {
    const redis = this.redis;
    if (redis === undefined || redis.status === 'end') return;
    this.shuttingDown = true;
    // Waiting to reconnect, there is no socket to close: disconnect() only clears the timer.
    const waiting = redis.status === 'reconnecting';
    const ended = once(redis, 'end');
    redis.disconnect();
    if (waiting) return;
    // Bounded: a connection attempt under way ends with its own connect timeout at the latest.
    await Promise.race([ended, sleep(SHUTDOWN_WAIT_MS, undefined, { ref: false })]);
  }

  // At most one line per WARNING_INTERVAL_MS, however many requests go unlimited meanwhile.
  private warnUnreachable(error: unknown): void {
    this.unreachable = true;
    const now = this.now();
    if (now - this.lastWarningAt < WARNING_INTERVAL_MS) return;
    this.lastWarningAt = now;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn({ reason }, 'Redis (REDIS_URL) cannot be reached: the per-user rate limit is not applied until it answers');
  }
}
