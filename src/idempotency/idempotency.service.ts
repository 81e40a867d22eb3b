import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { MysqlError, mysqlErrno } from '../database/mysql-errors';
import { execute } from '../database/sql';
import type { TransactionName } from '../database/transaction-names';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainError } from '../errors/domain-error';
import type { ErrorResponseDto } from '../errors/error-response.dto';
import { IdempotencyKeyInUseError, IdempotencyKeyReusedError, ReplayedRefusalError } from './idempotency.errors';
import { IdempotencyRepository, StoredResponse } from './idempotency.repository';
import { requestHash } from './request-hash';

// Refusals the work itself produces (…_NOT_FOUND, a domain 409) are answers like a success: stored
// and replayed. Everything else (5xx, answers given before the work) is not.
const STORED_REFUSAL_STATUSES = new Set<number>([HttpStatus.NOT_FOUND, HttpStatus.CONFLICT]);

type Outcome<R> = { kind: 'done'; body: R } | { kind: 'refused'; error: DomainError } | { kind: 'taken' };

/** A use case run under an Idempotency-Key. */
export interface IdempotentOperation {
  /** The use case's name (`'placeOrder'`): part of the request hash, and the transaction's name. */
  operation: TransactionName;
  /** Keys are scoped per user. */
  userId: number;
  /** The validated `Idempotency-Key` header (see `@IdempotencyKey()`); undefined runs without one. */
  key: string | undefined;
  /** The validated request, path ids included: "the same body" means the same canonical JSON of this. */
  request: object;
}

@Injectable()
export class IdempotencyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly records: IdempotencyRepository,
  ) {}

  /**
   * The HTTP edge of a use case that honours Idempotency-Key: controllers call this with the use
   * case (a plain service method taking the transaction's manager) and the DTO mapper of its answer.
   * Runs `useCase` in one transaction (`TransactionRunner.run`) and returns the response body built from it.
   * With a key, the key and that body are stored in the same transaction, so the work is done once:
   * a retry with the same key and request gets the stored body back without running `work`; one
   * with another request gets 422 IDEMPOTENCY_KEY_REUSED; one arriving while the first runs waits
   * for it, or gets 409 IDEMPOTENCY_KEY_IN_USE when the database gives up waiting.
   * When `work` refuses (a DomainError with 404 or 409), its changes are rolled back to a
   * savepoint taken after the key's insert, and the key commits with the refusal: retries and the
   * duplicates that waited get the same refusal. Any other error stores nothing; a retry runs again.
   *
   * `useCase` returns its result and `respond` maps it, in the same transaction, to exactly
   * the JSON body of the HTTP response: a replay sends that body again.
   */
  async run<T, R extends object>(op: IdempotentOperation, useCase: (manager: EntityManager) => Promise<T>, respond: (result: T) => R): Promise<R> {
    const work = async (manager: EntityManager): Promise<R> => respond(await useCase(manager));
    const { operation, userId, key } = op;
    if (key === undefined) return this.transactions.run(operation, work);
    const hash = requestHash(operation, op.request);

    // A retry of a finished request is answered without opening a transaction.
    const finished = await this.records.find(this.dataSource.manager, userId, key);
    if (finished) return replay(finished, hash);

    const outcome = await this.transactions.run(operation, async (manager): Promise<Outcome<R>> => {
      if (!(await this.claim(manager, userId, key, hash))) return { kind: 'taken' };
      await execute(manager, 'SAVEPOINT idempotent_work');
      try {
        const body = await work(manager);
        await this.records.saveResponse(manager, userId, key, JSON.stringify(body));
        return { kind: 'done', body };
      } catch (error) {
        if (!isStoredRefusal(error)) throw error;
        await execute(manager, 'ROLLBACK TO SAVEPOINT idempotent_work');
        await this.records.saveResponse(manager, userId, key, JSON.stringify(error.toBody()), error.status);
        return { kind: 'refused', error };
      }
    });
    if (outcome.kind === 'done') return outcome.body;
    if (outcome.kind === 'refused') throw outcome.error;
    // The key was committed by a request that ran while this one waited for it.
    const stored = await this.records.find(this.dataSource.manager, userId, key);
    if (!stored) throw new IdempotencyKeyInUseError(); // expired and cleaned up in between: retry as new
    return replay(stored, hash);
  }

  /**
   * Inserts the key as the transaction's first statement, so a duplicate waits here holding no other
   * lock, and does no work until the first request has ended. Returns false when the key is taken.
   */
  private async claim(manager: EntityManager, userId: number, key: string, hash: string): Promise<boolean> {
    try {
      await this.records.insert(manager, userId, key, hash);
      return true;
    } catch (error) {
      const errno = mysqlErrno(error);
      if (errno === MysqlError.DUP_ENTRY) return false;
      // A timeout: the first request still holds the key. A deadlock: several duplicates raced for a
      // key whose first request rolled back. Both are answered here, not rerun by TransactionRunner
      // (under 60 such duplicates its bounded reruns ran out and answered 500).
      // The statement time limit ending the wait means the same as a lock wait timeout.
      if (errno === MysqlError.LOCK_WAIT_TIMEOUT || errno === MysqlError.LOCK_DEADLOCK || errno === MysqlError.STATEMENT_TIMEOUT) throw new IdempotencyKeyInUseError();
      throw error;
    }
  }
}

function replay<R>(stored: StoredResponse, hash: string): R {
  if (stored.requestHash !== hash) throw new IdempotencyKeyReusedError();
  // Only the claiming transaction can see a row without a response; a plain read never does.
  if (stored.responseBody === null) throw new IdempotencyKeyInUseError();
  if (stored.refusalStatus !== null) throw new ReplayedRefusalError(stored.refusalStatus, JSON.parse(stored.responseBody) as ErrorResponseDto);
  return JSON.parse(stored.responseBody) as R;
}

function isStoredRefusal(error: unknown): error is DomainError {
  return error instanceof DomainError && STORED_REFUSAL_STATUSES.has(error.status) && !(error instanceof IdempotencyKeyInUseError);
}
