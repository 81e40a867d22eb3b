import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { IdempotencyRecord } from './entities/idempotency-record.entity';

/** Keys are kept at least this long (the contract's minimum); the clean-up job deletes them after. */
export const KEY_TTL_HOURS = 24;

export type StoredResponse = Pick<IdempotencyRecord, 'requestHash' | 'responseBody' | 'refusalStatus'>;

@Injectable()
export class IdempotencyRepository {
  /**
   * Records the key without a response. While another open transaction holds the same key this
   * waits for it to end, then fails with a duplicate key (it committed) or succeeds (it rolled back).
   */
  async insert(manager: EntityManager, userId: number, key: string, requestHash: string): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(IdempotencyRecord)
      .values({ userId, key, requestHash, responseBody: null, expiresAt: () => `CURRENT_TIMESTAMP(3) + INTERVAL ${KEY_TTL_HOURS} HOUR` })
      .updateEntity(false)
      .execute();
  }

  /** Stores the answer: a success's body, or a refusal's error body with its status. */
  async saveResponse(manager: EntityManager, userId: number, key: string, responseBody: string, refusalStatus: number | null = null): Promise<void> {
    await manager.update(IdempotencyRecord, { userId, key }, { responseBody, refusalStatus });
  }

  find(manager: EntityManager, userId: number, key: string): Promise<StoredResponse | null> {
    return manager.findOne(IdempotencyRecord, { select: { requestHash: true, responseBody: true, refusalStatus: true }, where: { userId, key } });
  }

  /** Deletes up to `limit` expired keys, oldest first; returns how many went. */
  async deleteExpired(manager: EntityManager, limit: number): Promise<number> {
    const result: { affectedRows: number } = await manager.query(
      'DELETE FROM idempotency_keys WHERE expires_at < CURRENT_TIMESTAMP(3) ORDER BY expires_at LIMIT ?',
      [limit],
    );
    return result.affectedRows;
  }
}
