import { Injectable, Logger } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import { loggableError } from '../database/query-log';
import { MetricsService } from '../metrics/metrics.service';
import { DeliveryOutcome } from './data-platform.client';
import { OutboxStatus } from './entities/outbox-event.entity';
import { OutboxRepository } from './outbox.repository';

const WATCHED_STATUSES = [OutboxStatus.PENDING, OutboxStatus.DEAD];
// Every outcome, so each attempts counter exists at 0 from the first scrape (the type checks the list is complete).
const OUTCOMES = Object.keys({ sent: 0, rate_limited: 0, server_error: 0, rejected: 0, timeout: 0, network_error: 0 } satisfies Record<DeliveryOutcome, 0>);

@Injectable()
export class OutboxMetrics {
  private readonly logger = new Logger(OutboxMetrics.name);

  readonly deliveryAttempts: Counter<'outcome'>;
  readonly deliveryLatency: Histogram;

  constructor(metrics: MetricsService, dataSource: DataSource, repository: OutboxRepository) {
    const registers = [metrics.registry];
    const logger = this.logger;

    this.deliveryAttempts = new Counter({
      name: 'outbox_delivery_attempts_total',
      help: 'Delivery attempts to the data platform by outcome: sent, rate_limited (429), server_error (5xx), rejected (other status), timeout, network_error',
      labelNames: ['outcome'],
      registers,
    });
    for (const outcome of OUTCOMES) this.deliveryAttempts.inc({ outcome }, 0);
    this.deliveryLatency = new Histogram({
      name: 'outbox_delivery_latency_seconds',
      help: 'Time from enqueue to a successful delivery, retries included',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
      registers,
    });
    new Gauge({
      name: 'outbox_events',
      help: 'Outbox events waiting for delivery (PENDING) or given up on (DEAD)',
      labelNames: ['status'],
      registers,
      // Counted at scrape time; the (status, next_attempt_at) index keeps it cheap.
      async collect() {
        try {
          const counts = await repository.countByStatus(dataSource.manager, WATCHED_STATUSES);
          for (const status of WATCHED_STATUSES) this.set({ status }, counts.get(status) ?? 0);
        } catch (error) {
          logger.warn({ err: loggableError(error) }, 'could not count outbox events; the gauge keeps its last value');
        }
      },
    });
  }
}
