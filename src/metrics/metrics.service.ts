import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';


/**
 * The service's Prometheus registry. One per application instance (not prom-client's global),
 * so several apps in one process (tests) do not collide.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status code (499: the client closed the connection first)',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly transactionRetries = new Counter({
    name: 'db_transaction_retries_total',
    help: 'Transactions rerun after the database aborted them (deadlock or lock-wait timeout)',
    labelNames: ['operation', 'reason'] as const,
    registers: [this.registry],
  });

  readonly couponIssueBatchSize = new Histogram({
    name: 'coupon_issue_batch_size',
    help: 'Issue requests for one coupon settled together in one transaction',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
