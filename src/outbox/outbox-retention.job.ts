import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { PeriodicTask } from '../scheduling/periodic-task';
import { OutboxRepository } from './outbox.repository';

const RUN_INTERVAL_MS = 10 * 60_000;
export const RETENTION_BATCH_SIZE = 1_000;

/**
 * Deletes SENT outbox events OUTBOX_RETENTION_DAYS after delivery, in batches of 1,000 so no
 * statement holds many row locks or runs long. PENDING and DEAD events are kept: they still matter.
 * Every instance runs it; concurrent runs only delete the same rows once.
 */
@Injectable()
export class OutboxRetentionJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRetentionJob.name);
  private readonly schedule = new PeriodicTask(this.logger, () => this.deleteExpired());
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: OutboxRepository,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule.start(RUN_INTERVAL_MS);
  }

  /** Waits for a run in progress, which stops after its current batch, while the database is still open. */
  onModuleDestroy(): Promise<void> {
    this.stopping = true;
    return this.schedule.stop();
  }

  /** Deletes every SENT event past retention, batch by batch; returns how many went. */
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
