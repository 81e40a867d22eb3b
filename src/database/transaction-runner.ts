import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { MetricsService } from '../metrics/metrics.service';

const ER_LOCK_DEADLOCK = 1213;
const ER_LOCK_WAIT_TIMEOUT = 1205;
const MAX_ATTEMPTS = 4;
const BASE_BACKOFF_MS = 10;

/**
 * Runs a use case in one transaction. A transaction the database aborted as a deadlock victim or
 * for a lock-wait timeout is rolled back whole and run again (bounded, with jittered backoff):
 * both leave nothing applied, so a rerun is safe.
 */
@Injectable()
export class TransactionRunner {
  private readonly logger = new Logger(TransactionRunner.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: MetricsService,
  ) {}

  async run<T>(name: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction(work);
      } catch (error) {
        const errno = transientErrno(error);
        if (errno === undefined || attempt >= MAX_ATTEMPTS) throw error;
        this.metrics.transactionRetries.inc({ operation: name, reason: errno === ER_LOCK_DEADLOCK ? 'deadlock' : 'lock_wait_timeout' });
        this.logger.warn({ operation: name, attempt, errno }, 'transaction aborted by the database; retrying');
        await sleep(BASE_BACKOFF_MS * 2 ** (attempt - 1) * (0.5 + Math.random()));
      }
    }
  }
}

function transientErrno(error: unknown): number | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const errno = (error.driverError as { errno?: number } | undefined)?.errno;
  return errno === ER_LOCK_DEADLOCK || errno === ER_LOCK_WAIT_TIMEOUT ? errno : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
