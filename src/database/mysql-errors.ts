import { QueryFailedError } from 'typeorm';

/** The MySQL/MariaDB error numbers the service reacts to. */
export enum MysqlError {
  /** A unique or primary key already holds the value. */
  DUP_ENTRY = 1062,
  /** Lock wait timeout: only the statement was rolled back (MariaDB also uses it for NOWAIT). */
  LOCK_WAIT_TIMEOUT = 1205,
  /** Deadlock victim: the whole transaction was rolled back. */
  LOCK_DEADLOCK = 1213,
  /** MariaDB's max_statement_time (DB_QUERY_TIMEOUT_MS) ended the statement. */
  STATEMENT_TIMEOUT = 1969,
}

/** The server's error number of a failed query, or undefined for any other error. */
export function mysqlErrno(error: unknown): number | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  return (error.driverError as { errno?: number } | undefined)?.errno;
}
