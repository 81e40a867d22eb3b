import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { MetricsService } from '../metrics/metrics.service';
import { MysqlError, mysqlErrno } from './mysql-errors';
import { TRANSACTION_NAMES, TransactionName } from './transaction-names';

const MAX_ATTEMPTS = 4;
const BASE_BACKOFF_MS = 10;
const RETRY_REASONS = { [MysqlError.LOCK_DEADLOCK]: 'deadlock', [MysqlError.LOCK_WAIT_TIMEOUT]: 'lock_wait_timeout' } as const;

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
  ) {
    for (const operation of TRANSACTION_NAMES) {
      for (const reason of Object.values(RETRY_REASONS)) metrics.transactionRetries.inc({ operation, reason }, 0);
    }
  }

  async run<T>(name: TransactionName, work: (manager: EntityManager) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await (options.isolationLevel === undefined
          ? this.dataSource.transaction(work)
          : this.dataSource.transaction(options.isolationLevel, work));
      } catch (error) {
        const errno = mysqlErrno(error);
        const reason = errno === MysqlError.LOCK_DEADLOCK || errno === MysqlError.LOCK_WAIT_TIMEOUT ? RETRY_REASONS[errno] : undefined;
        if (reason === undefined || attempt >= MAX_ATTEMPTS) throw error;
        this.metrics.transactionRetries.inc({ operation: name, reason });
        this.logger.warn({ operation: name, attempt, errno }, 'transaction aborted by the database; retrying');
        await sleep(BASE_BACKOFF_MS * 2 ** (attempt - 1) * (0.5 + Math.random()));
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
