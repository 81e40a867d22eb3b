import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { PeriodicJob } from '../scheduling/periodic-job';
import { OutboxRepository } from './outbox.repository';

const RUN_INTERVAL_MS = 10 * 60_000;
export const RETENTION_BATCH_SIZE = 1_000;

/**
 * Deletes SENT outbox events OUTBOX_RETENTION_DAYS after delivery, in batches of 1,000 so no
 * statement holds many row locks or runs long. PENDING and DEAD events are kept: they still matter.
 * Every instance runs it; concurrent runs only delete the same rows once.
 */
@Injectable()
export class OutboxRetentionJob extends PeriodicJob {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: OutboxRepository,
    private readonly config: AppConfig,
  ) {
    super();
  }

  protected intervalMs(): number {
    return RUN_INTERVAL_MS;
  }

  protected runOnce(): Promise<number> {
    return this.deleteExpired();
  }

  /** Deletes every SENT event past retention, batch by batch (a stopping app ends after the current one); returns how many went. */
  async deleteExpired(): Promise<number> {
    let total = 0;
    for (let deleted = RETENTION_BATCH_SIZE; deleted === RETENTION_BATCH_SIZE && !this.stopping; ) {
      deleted = await this.repository.deleteSentBefore(this.dataSource.manager, this.config.outbox.retentionDays, RETENTION_BATCH_SIZE);
      total += deleted;
    }
    if (total > 0) this.logger.log({ deleted: total }, 'deleted sent outbox events past retention');
    return total;
  }
}
