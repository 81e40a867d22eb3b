import { Column, Entity, Index } from 'typeorm';
import { BigIntColumn, CreatedAtColumn, IdColumn, TimestampColumn } from '../../database/columns';

/** PENDING → SENT on a 2xx; PENDING → DEAD after OUTBOX_MAX_ATTEMPTS; DEAD → PENDING by an operator. */
export enum OutboxStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
  DEAD = 'DEAD',
}

/** An event for the data platform, written in the transaction of the change it reports. */
@Entity('outbox_events')
// The relay's claim and the pending/dead gauges read this index.
@Index('idx_outbox_events_status_next_attempt_at', ['status', 'nextAttemptAt'])
// The admin list: one status, newest first.
@Index('idx_outbox_events_status_id', ['status', 'id'])
// The retention job: SENT events, oldest first.
@Index('idx_outbox_events_status_sent_at', ['status', 'sentAt'])
// The claim: an order's earlier events, which must be delivered first.
@Index('idx_outbox_events_order_id_id', ['orderId', 'id'])
export class OutboxEvent {
  @IdColumn() id: number;
  /** A UUID: the consumer's idempotency key. */
  @Index('uq_outbox_events_event_id', { unique: true })
  @Column({ name: 'event_id', type: 'char', length: 36 })
  eventId: string;

  @Column({ type: 'varchar', length: 100 }) type: string;
  /** The order the event is about: an order's events are delivered one after another, in id order. */
  @BigIntColumn({ name: 'order_id', unsigned: true, nullable: true }) orderId: number | null;
  @Column({ type: 'json' }) payload: Record<string, unknown>;
  @Column({ type: 'enum', enum: OutboxStatus, default: OutboxStatus.PENDING }) status: OutboxStatus;
  /** Delivery attempts started, counted when an attempt is claimed. */
  @Column({ type: 'int', unsigned: true, default: 0 }) attempts: number;
  /** When the relay may claim the event: now, after a backoff, or when a claim's lease runs out. */
  @TimestampColumn({ name: 'next_attempt_at', default: () => 'CURRENT_TIMESTAMP(3)' }) nextAttemptAt: Date;
  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true }) lastError: string | null;
  @CreatedAtColumn({ name: 'created_at' }) createdAt: Date;
  @TimestampColumn({ name: 'sent_at', nullable: true }) sentAt: Date | null;
}
