import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { TransactionRunner } from '../database/transaction-runner';
import { IdempotencyKeyInUseError, IdempotencyKeyReusedError } from './idempotency.errors';
import { IdempotencyRepository, StoredResponse } from './idempotency.repository';
import { requestHash } from './request-hash';

const ER_DUP_ENTRY = 1062;
const ER_LOCK_WAIT_TIMEOUT = 1205;
const ER_LOCK_DEADLOCK = 1213;

/** A use case run under an Idempotency-Key. */
export interface IdempotentOperation {
  /** The use case's name (`'createOrder'`): part of the request hash, and the transaction's name. */
  operation: string;
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
   * Runs `useCase` in one transaction (`TransactionRunner.run`) and returns the response body built from it.
   * With a key, the key and that body are stored in the same transaction, so the work is done once:
   * a retry with the same key and request gets the stored body back without running `work`; one
   * with another request gets 422 IDEMPOTENCY_KEY_REUSED; one arriving while the first runs waits
   * for it, or gets 409 IDEMPOTENCY_KEY_IN_USE when the database gives up waiting. When `work`
   * throws, nothing is stored and a retry runs it again.
   *
   * `useCase` returns its result and `respond` maps it, in the same transaction, to exactly
   * the JSON body of the HTTP response: a replay sends that body again. The mapper comes from the
   * caller (the module's DTO file), so services never import their DTOs.
   */
  async run<T, R extends object>(op: IdempotentOperation, useCase: (manager: EntityManager) => Promise<T>, respond: (result: T) => R): Promise<R> {
    const work = async (manager: EntityManager): Promise<R> => respond(await useCase(manager));
    const { operation, userId, key } = op;
    if (key === undefined) return this.transactions.run(operation, work);
    const hash = requestHash(operation, op.request);

    // A retry of a finished request is answered without opening a transaction.
    const finished = await this.records.find(this.dataSource.manager, userId, key);
    if (finished) return replay(finished, hash);

    const body = await this.transactions.run(operation, async (manager) => {
      if (!(await this.claim(manager, userId, key, hash))) return undefined;
      const result = await work(manager);
      await this.records.saveResponse(manager, userId, key, JSON.stringify(result));
      return result;
    });
    if (body !== undefined) return body;
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
      const errno = error instanceof QueryFailedError ? (error.driverError as { errno?: number }).errno : undefined;
      if (errno === ER_DUP_ENTRY) return false;
      // A timeout: the first request still holds the key. A deadlock: several duplicates raced for a
      // key whose first request rolled back. Both are answered here, not rerun by TransactionRunner
      // (under 60 such duplicates its bounded reruns ran out and answered 500).
      if (errno === ER_LOCK_WAIT_TIMEOUT || errno === ER_LOCK_DEADLOCK) throw new IdempotencyKeyInUseError();
      throw error;
    }
  }
}

function replay<R>(stored: StoredResponse, hash: string): R {
  if (stored.requestHash !== hash) throw new IdempotencyKeyReusedError();
  // Only the claiming transaction can see a row without a response; a plain read never does.
  if (stored.responseBody === null) throw new IdempotencyKeyInUseError();
  return JSON.parse(stored.responseBody) as R;
}
