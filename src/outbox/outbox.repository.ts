import { Injectable } from '@nestjs/common';
import { EntityManager, FindOptionsWhere, In, LessThan } from 'typeorm';
import { execute } from '../database/sql';
import { OutboxEvent, OutboxStatus } from './entities/outbox-event.entity';
import { NewOutboxEvent } from './outbox.types';

// Every time the relay writes comes from the database clock (NOW(3)), so app instances whose
// clocks disagree still agree on when an event is due.
@Injectable()
export class OutboxRepository {
  async insert(manager: EntityManager, event: NewOutboxEvent): Promise<void> {
    await execute(manager, 'INSERT INTO outbox_events (event_id, type, payload) VALUES (?, ?, ?)', [event.eventId, event.type, JSON.stringify(event.payload)]);
  }

  /** Locks up to `limit` due events, oldest first, skipping rows another relay has locked. */
  findDueForUpdateSkipLocked(manager: EntityManager, limit: number): Promise<OutboxEvent[]> {
    return manager
      .createQueryBuilder(OutboxEvent, 'event')
      .where('event.status = :status', { status: OutboxStatus.PENDING })
      .andWhere('event.nextAttemptAt <= NOW(3)')
      .orderBy('event.id', 'ASC')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }

  /** Counts an attempt on each event and hides it from other claims until the lease runs out. */
  async startAttempt(manager: EntityManager, ids: number[], leaseMs: number): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(OutboxEvent)
      .set({ attempts: () => 'attempts + 1', nextAttemptAt: () => 'NOW(3) + INTERVAL :leaseUs MICROSECOND' })
      .where({ id: In(ids) })
      .setParameter('leaseUs', leaseMs * 1000)
      .execute();
  }

  async markSent(manager: EntityManager, id: number): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(OutboxEvent)
      // The failures before this success are history: the admin list shows a SENT event without one.
      .set({ status: OutboxStatus.SENT, sentAt: () => 'NOW(3)', lastError: null })
      .where({ id, status: OutboxStatus.PENDING })
      .execute();
  }

  /**
   * Records a failed attempt: back to the queue after `delayMs`, or DEAD when `delayMs` is null.
   * Matches only while `attempts` is still the attempt that failed: if the lease ran out and
   * another relay started a newer attempt, that attempt decides.
   */
  async recordFailure(manager: EntityManager, id: number, attempts: number, error: string, delayMs: number | null): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(OutboxEvent)
      .set(
        delayMs === null
          ? { status: OutboxStatus.DEAD, lastError: error }
          : { lastError: error, nextAttemptAt: () => 'NOW(3) + INTERVAL :delayUs MICROSECOND' },
      )
      .where({ id, attempts, status: OutboxStatus.PENDING })
      .setParameter('delayUs', (delayMs ?? 0) * 1000)
      .execute();
  }

  /** Deletes up to `limit` events SENT more than `days` days ago, oldest first; returns how many went. */
  async deleteSentBefore(manager: EntityManager, days: number, limit: number): Promise<number> {
    const result = await execute(
      manager,
      "DELETE FROM outbox_events WHERE status = 'SENT' AND sent_at < NOW(3) - INTERVAL ? DAY ORDER BY sent_at LIMIT ?",
      [days, limit],
    );
    return result.affectedRows;
  }

  /** Back to the queue with a fresh budget of attempts, due now; returns the row as it is then. */
  async requeue(manager: EntityManager, id: number): Promise<OutboxEvent> {
    await manager
      .createQueryBuilder()
      .update(OutboxEvent)
      .set({ status: OutboxStatus.PENDING, attempts: 0, nextAttemptAt: () => 'NOW(3)' })
      .where({ id })
      .execute();
    return manager.findOneByOrFail(OutboxEvent, { id });
  }

  findByEventIdForUpdate(manager: EntityManager, eventId: string): Promise<OutboxEvent | null> {
    return manager.findOne(OutboxEvent, { where: { eventId }, lock: { mode: 'pessimistic_write' } });
  }

  /** Newest first; `beforeId` is the cursor (the last id of the previous page). */
  findPage(manager: EntityManager, status: OutboxStatus | undefined, limit: number, beforeId?: number): Promise<OutboxEvent[]> {
    const where: FindOptionsWhere<OutboxEvent> = {};
    if (status !== undefined) where.status = status;
    if (beforeId !== undefined) where.id = LessThan(beforeId);
    return manager.find(OutboxEvent, { where, order: { id: 'DESC' }, take: limit });
  }

  async countByStatus(manager: EntityManager, statuses: OutboxStatus[]): Promise<Map<OutboxStatus, number>> {
    const rows = await manager
      .createQueryBuilder(OutboxEvent, 'event')
      .select('event.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .where({ status: In(statuses) })
      .groupBy('event.status')
      .getRawMany<{ status: OutboxStatus; count: string | number }>();
    return new Map(rows.map((row) => [row.status, Number(row.count)]));
  }
}
