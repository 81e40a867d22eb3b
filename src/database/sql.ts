import { EntityManager, QueryFailedError } from 'typeorm';
import type { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver';

// Hot paths run explicit SQL with the use case's EntityManager: TypeORM's find and query builder
// assemble each query anew (~200 µs of CPU per call here, measured), more than the database round
// trip itself. Columns are aliased to the entities' property names.
//
// The statements go straight to the mysql2 connection under the manager's query runner (inside a
// transaction, the transaction's connection; outside, one taken from the pool for the statement):
// TypeORM's queryRunner.query costs 37–68 µs of CPU per statement against 21–25 µs on the
// connection itself (docs/benchmarks.md). What the runner gives is kept here: the statement time
// limit, the statement log (the data source's logger), slow-statement warnings, errors as
// QueryFailedError (the exception filter and the deadlock retry read those), and a connection
// whose statement timed out is closed.

/** The part of mysql2's callback connection used here. */
interface Mysql2Connection {
  query(options: { sql: string; timeout?: number }, values: unknown[], callback: (error: (Error & { code?: string }) | null, result: unknown) => void): void;
  release(): void;
  destroy(): void;
}

export async function selectRows<T>(manager: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await runStatement(manager, sql, params)) as T[];
}

export async function selectOne<T>(manager: EntityManager, sql: string, params: unknown[] = []): Promise<T | null> {
  return (await selectRows<T>(manager, sql, params))[0] ?? null;
}

export interface WriteResult {
  affectedRows: number;
  insertId: number;
}

export async function execute(manager: EntityManager, sql: string, params: unknown[] = []): Promise<WriteResult> {
  return (await runStatement(manager, sql, params)) as WriteResult;
}

/** `?, ?, ?`: one placeholder per value, for `IN (…)`. */
export function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

/** `(?, ?), (?, ?)` for a multi-row INSERT of `rows` rows of `columns` values each. */
export function valuesList(rows: number, columns: number): string {
  const row = `(${Array(columns).fill('?').join(', ')})`;
  return Array(rows).fill(row).join(', ');
}

/**
 * mysql2 gives up on a statement after DB_QUERY_TIMEOUT_MS but keeps the connection, with the
 * statement still queued on it: the ROLLBACK that follows would wait behind it for as long again,
 * and so would the next user of the connection. Closing it answers both at once; the server rolls
 * back whatever the connection had open.
 */
export function closeIfTimedOut(connection: { destroy(): void } | undefined, error: unknown): void {
  if ((error as { code?: string } | undefined)?.code === 'PROTOCOL_SEQUENCE_TIMEOUT') connection?.destroy();
}

async function runStatement(manager: EntityManager, sql: string, params: unknown[]): Promise<unknown> {
  const dataSource = manager.connection;
  const driver = dataSource.driver as MysqlDriver;
  const runner = manager.queryRunner;
  if (runner?.isReleased) return manager.query(sql, params); // TypeORM's own error for a released runner
  const connection = (runner ? await runner.connect() : await driver.obtainMasterConnection()) as Mysql2Connection;
  const { maxQueryExecutionTime, enableQueryTimeout } = driver.options;
  dataSource.logger.logQuery(sql, params, runner);
  const startedAt = Date.now();
  try {
    return await new Promise((resolve, reject) => {
      const timeout = enableQueryTimeout ? maxQueryExecutionTime : undefined;
      connection.query({ sql, timeout }, params, (error, result) => (error ? reject(error) : resolve(result)));
    });
  } catch (error) {
    closeIfTimedOut(connection, error);
    throw new QueryFailedError(sql, params, error as Error);
  } finally {
    const ms = Date.now() - startedAt;
    if (maxQueryExecutionTime && ms > maxQueryExecutionTime) dataSource.logger.logQuerySlow(ms, sql, params, runner);
    if (!runner) connection.release();
  }
}
