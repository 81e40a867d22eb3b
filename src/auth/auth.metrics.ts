import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';

@Injectable()
export class AuthMetrics {
  readonly failures: Counter<'reason'>;
  readonly rateLimited: Counter;
  readonly rateLimitStoreErrors: Counter;

  constructor(metrics: MetricsService) {
    this.failures = new Counter({
      name: 'auth_failures_total',
      help: 'Requests to user-scoped routes refused 401 (or 503 when the signing keys cannot be fetched), by reason',
      labelNames: ['reason'],
      registers: [metrics.registry],
    });
    this.rateLimited = new Counter({
      name: 'rate_limited_requests_total',
      help: 'User-scoped requests refused 429 RATE_LIMITED',
      registers: [metrics.registry],
    });
    this.rateLimitStoreErrors = new Counter({
      name: 'rate_limit_store_errors_total',
      help: 'User-scoped requests served without the rate limit because Redis (REDIS_URL) did not answer within 200 ms',
      registers: [metrics.registry],
    });
  }
}
