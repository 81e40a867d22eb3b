import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction-runner';
import { PeriodicJob } from '../scheduling/periodic-job';
import { RankingRepository } from './ranking.repository';
import { floorHour } from './ranking.rules';

const BATCH_SIZE = 1_000;

/**
 * Keeps the ranking aggregates current, off the payment path: moves the windows to the current
 * hour, then rolls pending lines into the hourly buckets and windows, batch by batch. Each batch is
 * one transaction holding the state row, so runs from several instances take turns; a line is
 * rolled up exactly once because it is deleted in the transaction that adds it.
 */
@Injectable()
export class RankingRollupJob extends PeriodicJob {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly ranking: RankingRepository,
    private readonly config: AppConfig,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.ranking.rollupIntervalMs;
  }

  protected runOnce(): Promise<number> {
    return this.rollUp();
  }

  /** Rolls up every pending line committed so far; returns how many it rolled up. */
  async rollUp(now = new Date()): Promise<number> {
    const hour = floorHour(now);
    let rolledUp = 0;
    for (;;) {
      // READ COMMITTED: the claim takes no gap locks, so payments keep appending meanwhile.
      const count = await this.transactions.run('rollUpSales', (manager) => this.rollUpBatch(manager, hour), { isolationLevel: 'READ COMMITTED' });
      rolledUp += count;
      if (count < BATCH_SIZE) return rolledUp;
    }
  }

  /** One batch, holding the state row: moves the windows to `hour`, then rolls up to BATCH_SIZE lines. */
  private async rollUpBatch(manager: EntityManager, hour: Date): Promise<number> {
    let windowsHour = await this.ranking.lockWindowsHourForUpdate(manager);
    if (hour > windowsHour) {
      await this.ranking.moveWindows(manager, windowsHour, hour);
      windowsHour = hour;
    }
    const ids = await this.ranking.claimPendingForUpdate(manager, BATCH_SIZE);
    if (ids.length > 0) await this.ranking.rollUp(manager, ids, windowsHour);
    return ids.length;
  }
}
