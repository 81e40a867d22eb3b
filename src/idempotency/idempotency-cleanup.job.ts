import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { IdempotencyRepository } from './idempotency.repository';

const CLEANUP_INTERVAL_MS = 10 * 60_000;
const BATCH_SIZE = 1_000;

/**
 * Deletes expired Idempotency-Keys every few minutes, in small batches so no statement holds many
 * row locks. Every instance runs it; concurrent runs only delete the same rows once.
 */
@Injectable()
export class IdempotencyCleanupJob {
  private readonly logger = new Logger(IdempotencyCleanupJob.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly records: IdempotencyRepository,
  ) {}

  @Interval(CLEANUP_INTERVAL_MS)
  async deleteExpired(): Promise<number> {
    let total = 0;
    for (let deleted = BATCH_SIZE; deleted === BATCH_SIZE; ) {
      deleted = await this.records.deleteExpired(this.dataSource.manager, BATCH_SIZE);
      total += deleted;
    }
    if (total > 0) this.logger.log({ deleted: total }, 'deleted expired idempotency keys');
    return total;
  }
}
