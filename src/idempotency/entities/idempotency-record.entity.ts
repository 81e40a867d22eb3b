import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn, TimestampColumn } from '../../database/columns';

/**
 * One Idempotency-Key of one user, written in the transaction that does the keyed work, so a key
 * exists exactly when its work was committed, or refused by the work itself. Deleted by the clean-up job once expired.
 */
@Entity('idempotency_keys')
@Index('idx_idempotency_keys_expires_at', ['expiresAt'])
export class IdempotencyRecord {
  @PrimaryColumn({ name: 'user_id', type: 'bigint', unsigned: true }) userId: number;
  // Binary collation: keys are compared case-sensitively. (Its PAD SPACE cannot merge "k" and "k ":
  // HTTP strips trailing whitespace from header values.)
  @PrimaryColumn({ name: 'idempotency_key', type: 'varchar', length: 255, charset: 'ascii', collation: 'ascii_bin' }) key: string;
  /** sha256 (hex) of the operation and the canonical JSON of its validated request. */
  @Column({ name: 'request_hash', type: 'char', length: 64, charset: 'ascii', collation: 'ascii_bin' }) requestHash: string;
  // The response exactly as serialised (not a JSON column: MySQL would reorder its keys). Null only
  // inside the claiming transaction, between the key's insert and the end of the work.
  @Column({ name: 'response_body', type: 'mediumtext', nullable: true }) responseBody: string | null;
  /** The HTTP status of a stored refusal (its error body is in responseBody); null for a success. */
  @Column({ name: 'refusal_status', type: 'smallint', unsigned: true, nullable: true }) refusalStatus: number | null;
  @CreatedAtColumn({ name: 'created_at' }) createdAt: Date;
  @TimestampColumn({ name: 'expires_at' }) expiresAt: Date;
}
