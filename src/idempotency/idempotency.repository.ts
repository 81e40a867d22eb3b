import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { execute, selectOne } from '../database/sql';
import type { IdempotencyRecord } from './entities/idempotency-record.entity';

/** Keys are kept at least this long (the contract's minimum); the clean-up job deletes them after. */
const KEY_TTL_HOURS = 24;

export type StoredResponse = Pick<IdempotencyRecord, 'requestHash' | 'responseBody' | 'refusalStatus'>;

@Injectable()
export class IdempotencyRepository {
  /**
   * Records the key without a response. While another open transaction holds the same key this
   * waits for it to end, then fails with a duplicate key (it committed) or succeeds (it rolled back).
   */
  async insert(manager: EntityManager, userId: number, key: string, requestHash: string): Promise<void> {
    await execute(
      manager,
      `INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, expires_at) VALUES (?, ?, ?, CURRENT_TIMESTAMP(3) + INTERVAL ${KEY_TTL_HOURS} HOUR)`,
      [userId, key, requestHash],
    );
  }

  /** Stores the answer: a success's body, or a refusal's error body with its status. */
  async saveResponse(manager: EntityManager, userId: number, key: string, responseBody: string, refusalStatus: number | null = null): Promise<void> {
    await execute(manager, 'UPDATE idempotency_keys SET response_body = ?, refusal_status = ? WHERE user_id = ? AND idempotency_key = ?', [
      responseBody,
      refusalStatus,
      userId,
      key,
    ]);
  }

  find(manager: EntityManager, userId: number, key: string): Promise<StoredResponse | null> {
    return selectOne(
      manager,
      'SELECT request_hash AS requestHash, response_body AS responseBody, refusal_status AS refusalStatus FROM idempotency_keys WHERE user_id = ? AND idempotency_key = ?',
      [userId, key],
    );
  }

  /** Deletes up to `limit` expired keys, oldest first; returns how many went. */
  async deleteExpired(manager: EntityManager, limit: number): Promise<number> {
    const result = await execute(manager, 'DELETE FROM idempotency_keys WHERE expires_at < CURRENT_TIMESTAMP(3) ORDER BY expires_at LIMIT ?', [limit]);
    return result.affectedRows;
  }
}
