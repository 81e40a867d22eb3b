import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '../scheduling/periodic-task';
import { IdempotencyRepository } from './idempotency.repository';

const CLEANUP_INTERVAL_MS = 10 * 60_000;
const BATCH_SIZE = 1_000;

/**
 * Deletes expired Idempotency-Keys every few minutes, in small batches so no statement holds many
 * row locks. Every instance runs it; concurrent runs only delete the same rows once.
 */
@Injectable()
export class IdempotencyCleanupJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(IdempotencyCleanupJob.name);
  private readonly schedule = new PeriodicTask(this.logger, () => this.deleteExpired());

  constructor(
    private readonly dataSource: DataSource,
    private readonly records: IdempotencyRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule.start(CLEANUP_INTERVAL_MS);
  }

  /** Waits for a clean-up in progress while the database is still open. */
  onModuleDestroy(): Promise<void> {
    return this.schedule.stop();
  }

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
