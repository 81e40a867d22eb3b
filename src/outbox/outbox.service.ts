import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { CursorPage, toCursorPage } from '../database/cursor-page';
import { TransactionRunner } from '../database/transaction-runner';
import { OutboxEvent, OutboxStatus } from './entities/outbox-event.entity';
import { OutboxEventNotDeadError, OutboxEventNotFoundError } from './outbox.errors';
import { OutboxMetrics } from './outbox.metrics';
import { OutboxRepository } from './outbox.repository';
import { backoffDelayMs } from './outbox.rules';
import { OutboxMessage } from './outbox.types';

// A claimed event is delivered at once and the HTTP call ends within DATA_PLATFORM_TIMEOUT_MS, so
// the lease only runs out when the relay holding it died (or stalled for seconds); then another
// relay tries again. A stalled relay may deliver twice: the platform dedupes by the event id.
const LEASE_MARGIN_MS = 5_000;

@Injectable()
export class OutboxService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly repository: OutboxRepository,
    private readonly config: AppConfig,
    private readonly metrics: OutboxMetrics,
  ) {}

  /**
   * Writes an event for the data platform with the caller's EntityManager, so it commits or rolls
   * back with the business change; the relay delivers it only after the commit, at least once, as
   * `POST DATA_PLATFORM_URL` with body `{ eventId, type, ...payload }` and header `Idempotency-Key:
   * eventId`, and not before every earlier event of the same order is delivered.
   */
  async enqueue(manager: EntityManager, event: OutboxMessage): Promise<{ eventId: string }> {
    if (Array.isArray(event.payload) || 'eventId' in event.payload || 'type' in event.payload) {
      throw new Error('an outbox payload must be an object without eventId or type keys');
    }
    const eventId = randomUUID();
    await this.repository.insert(manager, { ...event, eventId });
    return { eventId };
  }

  /** Claims up to `limit` due events for one relay and starts an attempt on each. */
  claimDue(limit: number): Promise<OutboxEvent[]> {
    // READ COMMITTED: the locking read takes no gap locks, so it never holds up the inserts of
    // concurrent transactions; the transaction ends before any HTTP call.
    return this.transactions.run(
      'claimOutboxEvents',
      async (manager) => {
        const events = await this.repository.findDueForUpdateSkipLocked(manager, limit);
        if (events.length === 0) return [];
        await this.repository.startAttempt(
          manager,
          events.map((event) => event.id),
          this.config.outbox.dataPlatformTimeoutMs + LEASE_MARGIN_MS,
        );
        for (const event of events) event.attempts += 1;
        return events;
      },
      { isolationLevel: 'READ COMMITTED' },
    );
  }

  async recordSent(event: OutboxEvent): Promise<void> {
    await this.repository.markSent(this.dataSource.manager, event.id);
    this.metrics.deliveryLatency.observe((Date.now() - event.createdAt.getTime()) / 1_000);
  }

  /** Schedules the next attempt with backoff, or gives up after OUTBOX_MAX_ATTEMPTS. */
  async recordFailure(event: OutboxEvent, error: string): Promise<OutboxStatus> {
    const { maxAttempts, backoffBaseMs, backoffMaxMs } = this.config.outbox;
    const dead = event.attempts >= maxAttempts;
    const delayMs = dead ? null : backoffDelayMs(event.attempts, backoffBaseMs, backoffMaxMs);
    await this.repository.recordFailure(this.dataSource.manager, event.id, event.attempts, error.slice(0, 500), delayMs);
    return dead ? OutboxStatus.DEAD : OutboxStatus.PENDING;
  }

  async listEvents(status: OutboxStatus | undefined, limit: number, cursor?: number): Promise<CursorPage<OutboxEvent>> {
    return toCursorPage(await this.repository.findPage(this.dataSource.manager, status, limit + 1, cursor), limit);
  }

  /** Puts a DEAD event back in the queue with a fresh budget of attempts, due now. */
  retryDeadEvent(eventId: string): Promise<OutboxEvent> {
    // The row stays locked until it is read back, so the answer is the state the retry made.
    return this.transactions.run('retryOutboxEvent', async (manager) => {
      const event = await this.repository.findByEventIdForUpdate(manager, eventId);
      if (!event) throw new OutboxEventNotFoundError(eventId);
      if (event.status !== OutboxStatus.DEAD) throw new OutboxEventNotDeadError(eventId, event.status);
      return this.repository.requeue(manager, event.id);
    });
  }
}
