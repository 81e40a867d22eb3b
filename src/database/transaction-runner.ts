import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { MetricsService } from '../metrics/metrics.service';
import { MysqlError, mysqlErrno } from './mysql-errors';

const MAX_ATTEMPTS = 4;
const BASE_BACKOFF_MS = 10;

export interface TransactionOptions {
  /** The server's default (REPEATABLE READ) when absent. */
  isolationLevel?: IsolationLevel;
}

/**
 * Runs a use case in one transaction. A transaction the database aborted as a deadlock victim or
 * for a lock-wait timeout is rolled back whole and run again (bounded, with jittered backoff):
 * both leave nothing applied, so a rerun is safe. Every transaction of the service opens here.
 */
@Injectable()
export class TransactionRunner {
  private readonly logger = new Logger(TransactionRunner.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: MetricsService,
  ) {}

  async run<T>(name: string, work: (manager: EntityManager) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await (options.isolationLevel === undefined
          ? this.dataSource.transaction(work)
          : this.dataSource.transaction(options.isolationLevel, work));
      } catch (error) {
        const errno = mysqlErrno(error);
        const transient = errno === MysqlError.LOCK_DEADLOCK || errno === MysqlError.LOCK_WAIT_TIMEOUT;
        if (!transient || attempt >= MAX_ATTEMPTS) throw error;
        this.metrics.transactionRetries.inc({ operation: name, reason: errno === MysqlError.LOCK_DEADLOCK ? 'deadlock' : 'lock_wait_timeout' });
        this.logger.warn({ operation: name, attempt, errno }, 'transaction aborted by the database; retrying');
        await sleep(BASE_BACKOFF_MS * 2 ** (attempt - 1) * (0.5 + Math.random()));
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
