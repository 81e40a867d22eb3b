import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { loggableError } from '../database/query-log';
import { postEvent } from './data-platform.client';
import { OutboxEvent, OutboxStatus } from './entities/outbox-event.entity';
import { OutboxMetrics } from './outbox.metrics';
import { OutboxService } from './outbox.service';

// Deliveries in flight per app instance; a slow one holds a single slot, not the whole relay.
export const DELIVERY_CONCURRENCY = 10;

/**
 * Delivers outbox events to the data platform in the background. Any number of app instances can
 * run it on one database: each claim locks rows with SKIP LOCKED, leases them and commits before
 * the HTTP call, so no row lock is held across the network and no two relays hold the same event.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly inFlight = new Set<Promise<void>>();
  private loop?: Promise<void>;
  private stopping = false;
  private wakeUp?: () => void;

  constructor(
    private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    private readonly metrics: OutboxMetrics,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.outbox.dataPlatformUrl === undefined) {
      this.logger.warn('DATA_PLATFORM_URL is not set: outbox events wait in the outbox and are not delivered');
      return;
    }
    this.loop = this.run(this.config.outbox.dataPlatformUrl);
  }

  /** Stops claiming and waits for the deliveries in flight (the database is still open here). */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    await this.loop;
  }

  private async run(url: string): Promise<void> {
    while (!this.stopping) {
      const free = DELIVERY_CONCURRENCY - this.inFlight.size;
      if (free === 0) {
        await Promise.race(this.inFlight);
        continue;
      }
      const claimed = await this.claim(free);
      for (const event of claimed) this.track(this.deliver(url, event));
      // A full batch means more may be due: claim again at once. Otherwise wait for the next poll.
      if (claimed.length < free) await this.sleep(this.config.outbox.pollIntervalMs);
    }
    await Promise.all(this.inFlight);
  }

  private async claim(limit: number): Promise<OutboxEvent[]> {
    try {
      return await this.outbox.claimDue(limit);
    } catch (error) {
      this.logger.error({ err: loggableError(error) }, 'could not claim outbox events; trying again after the poll interval');
      return [];
    }
  }

  private async deliver(url: string, event: OutboxEvent): Promise<void> {
    const body = JSON.stringify({ eventId: event.eventId, type: event.type, ...event.payload });
    const result = await postEvent(url, event.eventId, body, this.config.outbox.dataPlatformTimeoutMs);
    this.metrics.deliveryAttempts.inc({ outcome: result.outcome });
    const context = { eventId: event.eventId, type: event.type, attempt: event.attempts };
    try {
      if (result.outcome === 'sent') {
        await this.outbox.recordSent(event);
        return;
      }
      const status = await this.outbox.recordFailure(event, result.error ?? result.outcome);
      if (status === OutboxStatus.DEAD) this.logger.error({ ...context, error: result.error }, 'outbox event is DEAD: out of attempts');
      else this.logger.warn({ ...context, error: result.error }, 'outbox delivery failed; will retry');
    } catch (error) {
      // The lease runs out and another claim retries the event: at least once, never lost.
      this.logger.error({ ...context, err: loggableError(error) }, 'could not record the outcome of an outbox delivery');
    }
  }

  private track(delivery: Promise<void>): void {
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
