import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { MetricsService } from '../metrics/metrics.service';
import { MysqlError, mysqlErrno } from './mysql-errors';
import { execute } from './sql';
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
        return await this.runOnce(work, options.isolationLevel);
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

  /**
   * One transaction on a query runner of its own, as `dataSource.transaction` runs it, but with
   * START TRANSACTION, COMMIT and ROLLBACK sent through sql.ts like the work's own statements
   * (TypeORM's runner costs ~15–40 µs more per statement; docs/benchmarks.md). The runner is marked
   * in a transaction, so TypeORM's own calls inside the work (a `find` with relations, `save`)
   * join it instead of opening one of their own.
   */
  private async runOnce<T>(work: (manager: EntityManager) => Promise<T>, isolationLevel: IsolationLevel | undefined): Promise<T> {
    // Writable on TypeORM's runners (BaseQueryRunner), read-only only in the QueryRunner interface.
    const runner = this.dataSource.createQueryRunner('master') as QueryRunner & { isTransactionActive: boolean };
    const { manager } = runner;
    try {
      if (isolationLevel !== undefined) await execute(manager, `SET TRANSACTION ISOLATION LEVEL ${isolationLevel}`);
      await execute(manager, 'START TRANSACTION');
      runner.isTransactionActive = true;
      const result = await work(manager);
      await execute(manager, 'COMMIT');
      runner.isTransactionActive = false;
      return result;
    } catch (error) {
      if (runner.isTransactionActive) {
        runner.isTransactionActive = false;
        // A connection that is gone has nothing left to roll back: the server did it when it closed.
        await execute(manager, 'ROLLBACK').catch(() => undefined);
      }
      throw error;
    } finally {
      await runner.release();
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
