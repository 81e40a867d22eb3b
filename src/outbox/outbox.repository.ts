import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { execute, placeholders, selectOne, selectRows } from '../database/sql';
import { OutboxEvent, OutboxStatus } from './entities/outbox-event.entity';
import { NewOutboxEvent } from './outbox.types';

const EVENT_COLUMNS = `id, event_id AS eventId, type, order_id AS orderId, payload, status, attempts, next_attempt_at AS nextAttemptAt,
  last_error AS lastError, created_at AS createdAt, sent_at AS sentAt`;

// Every time the relay writes comes from the database clock (NOW(3)), so app instances whose
// clocks disagree still agree on when an event is due.
@Injectable()
export class OutboxRepository {
  async insert(manager: EntityManager, event: NewOutboxEvent): Promise<void> {
    await execute(manager, 'INSERT INTO outbox_events (event_id, type, order_id, payload) VALUES (?, ?, ?, ?)', [
      event.eventId,
      event.type,
      event.orderId,
      JSON.stringify(event.payload),
    ]);
  }

  /**
   * Locks up to `limit` due events, oldest first, skipping rows another relay has locked and events
   * of an order whose earlier event is not SENT yet (pending, leased to a relay, retrying or DEAD):
   * an order's events are delivered one after another. The subquery is a plain read: it sees a
   * leased or locked earlier event as it is, PENDING.
   */
  async findDueForUpdateSkipLocked(manager: EntityManager, limit: number): Promise<OutboxEvent[]> {
    const rows = await selectRows<OutboxEventRow>(
      manager,
      `SELECT ${EVENT_COLUMNS} FROM outbox_events e
        WHERE e.status = ? AND e.next_attempt_at <= NOW(3)
          AND NOT EXISTS (SELECT 1 FROM outbox_events earlier WHERE earlier.order_id = e.order_id AND earlier.id < e.id AND earlier.status <> ?)
        ORDER BY e.id LIMIT ? FOR UPDATE SKIP LOCKED`,
      [OutboxStatus.PENDING, OutboxStatus.SENT, limit],
    );
    return rows.map(toOutboxEvent);
  }

  /** Counts an attempt on each event and hides it from other claims until the lease runs out. */
  async startAttempt(manager: EntityManager, ids: number[], leaseMs: number): Promise<void> {
    await execute(manager, `UPDATE outbox_events SET attempts = attempts + 1, next_attempt_at = NOW(3) + INTERVAL ? MICROSECOND WHERE id IN (${placeholders(ids)})`, [
      leaseMs * 1_000,
      ...ids,
    ]);
  }

  async markSent(manager: EntityManager, id: number): Promise<void> {
    // The failures before this success are history: the admin list shows a SENT event without one.
    await execute(manager, 'UPDATE outbox_events SET status = ?, sent_at = NOW(3), last_error = NULL WHERE id = ? AND status = ?', [
      OutboxStatus.SENT,
      id,
      OutboxStatus.PENDING,
    ]);
  }

  /**
   * Records a failed attempt: back to the queue after `delayMs`, or DEAD when `delayMs` is null.
   * Matches only while `attempts` is still the attempt that failed: if the lease ran out and
   * another relay started a newer attempt, that attempt decides.
   */
  async recordFailure(manager: EntityManager, id: number, attempts: number, error: string, delayMs: number | null): Promise<void> {
    const change = delayMs === null ? ['status = ?', OutboxStatus.DEAD] : ['next_attempt_at = NOW(3) + INTERVAL ? MICROSECOND', delayMs * 1_000];
    await execute(manager, `UPDATE outbox_events SET last_error = ?, ${change[0]} WHERE id = ? AND attempts = ? AND status = ?`, [
      error,
      change[1],
      id,
      attempts,
      OutboxStatus.PENDING,
    ]);
  }

  /** Deletes up to `limit` events SENT more than `days` days ago, oldest first; returns how many went. */
  async deleteSentBefore(manager: EntityManager, days: number, limit: number): Promise<number> {
    const result = await execute(manager, "DELETE FROM outbox_events WHERE status = 'SENT' AND sent_at < NOW(3) - INTERVAL ? DAY ORDER BY sent_at LIMIT ?", [days, limit]);
    return result.affectedRows;
  }

  /** Back to the queue with a fresh budget of attempts, due now; returns the row as it is then. */
  async requeue(manager: EntityManager, id: number): Promise<OutboxEvent> {
    await execute(manager, 'UPDATE outbox_events SET status = ?, attempts = 0, next_attempt_at = NOW(3) WHERE id = ?', [OutboxStatus.PENDING, id]);
    return toOutboxEvent((await selectOne<OutboxEventRow>(manager, `SELECT ${EVENT_COLUMNS} FROM outbox_events WHERE id = ?`, [id]))!);
  }

  async findByEventIdForUpdate(manager: EntityManager, eventId: string): Promise<OutboxEvent | null> {
    const row = await selectOne<OutboxEventRow>(manager, `SELECT ${EVENT_COLUMNS} FROM outbox_events WHERE event_id = ? FOR UPDATE`, [eventId]);
    return row && toOutboxEvent(row);
  }

  /** Newest first; `beforeId` is the cursor (the last id of the previous page). */
  async findPage(manager: EntityManager, status: OutboxStatus | undefined, limit: number, beforeId?: number): Promise<OutboxEvent[]> {
    const filters: Array<[sql: string, value: unknown]> = [];
    if (status !== undefined) filters.push(['status = ?', status]);
    if (beforeId !== undefined) filters.push(['id < ?', beforeId]);
    const where = filters.length === 0 ? '' : `WHERE ${filters.map(([sql]) => sql).join(' AND ')}`;
    const rows = await selectRows<OutboxEventRow>(manager, `SELECT ${EVENT_COLUMNS} FROM outbox_events ${where} ORDER BY id DESC LIMIT ?`, [
      ...filters.map(([, value]) => value),
      limit,
    ]);
    return rows.map(toOutboxEvent);
  }

  async countByStatus(manager: EntityManager, statuses: OutboxStatus[]): Promise<Map<OutboxStatus, number>> {
    const rows = await selectRows<{ status: OutboxStatus; count: number }>(
      manager,
      `SELECT status, COUNT(*) AS count FROM outbox_events WHERE status IN (${placeholders(statuses)}) GROUP BY status`,
      statuses,
    );
    return new Map(rows.map((row) => [row.status, Number(row.count)]));
  }
}

/** MariaDB returns a JSON column as its text, MySQL as the parsed value. */
type OutboxEventRow = Omit<OutboxEvent, 'payload'> & { payload: string | Record<string, unknown> };

function toOutboxEvent(row: OutboxEventRow): OutboxEvent {
  return { ...row, payload: typeof row.payload === 'string' ? (JSON.parse(row.payload) as Record<string, unknown>) : row.payload };
}
