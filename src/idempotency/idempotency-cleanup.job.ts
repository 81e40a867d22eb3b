import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicJob } from '../scheduling/periodic-job';
import { IdempotencyRepository } from './idempotency.repository';

const CLEANUP_INTERVAL_MS = 10 * 60_000;
const BATCH_SIZE = 1_000;

/**
 * Deletes expired Idempotency-Keys every few minutes, in small batches so no statement holds many
 * row locks. Every instance runs it; concurrent runs only delete the same rows once.
 */
@Injectable()
export class IdempotencyCleanupJob extends PeriodicJob {
  constructor(
    private readonly dataSource: DataSource,
    private readonly records: IdempotencyRepository,
  ) {
    super();
  }

  protected intervalMs(): number {
    return CLEANUP_INTERVAL_MS;
  }

  protected runOnce(): Promise<number> {
    return this.deleteExpired();
  }

  async deleteExpired(): Promise<number> {
    let total = 0;
    for (let deleted = BATCH_SIZE; deleted === BATCH_SIZE && !this.stopping; ) {
      deleted = await this.records.deleteExpired(this.dataSource.manager, BATCH_SIZE);
      total += deleted;
    }
    if (total > 0) this.logger.log({ deleted: total }, 'deleted expired idempotency keys');
    return total;
  }
}
