import type { DataSource } from 'typeorm';
import type { ServerType } from './database-options';

/** Waiting for a pooled connection took longer than DB_QUERY_TIMEOUT_MS (answered 503). */
class PoolAcquireTimeoutError extends Error {
  readonly code = 'POOL_ACQUIRE_TIMEOUT';
}

type Callback = (error: Error | null, connection?: PooledConnection) => void;
interface PooledConnection {
  query(options: { sql: string; timeout: number }, callback: (error: Error | null) => void): void;
  release(): void;
  destroy(): void;
}
/** A mysql2 pool, `getConnection(callback)`, or pool cluster, `getConnection(pattern, [selector,] callback)`. */
interface Pool {
  getConnection(...args: [...unknown[], Callback]): void;
}

/**
 * The database's own limit on a statement's run time, set on every session: it stops the statement
 * on the server too. MariaDB counts every statement (seconds); MySQL only SELECTs (milliseconds).
 */
function statementLimitSql(serverType: ServerType, timeoutMs: number): string {
  return serverType === 'mariadb' ? `SET SESSION max_statement_time = ${timeoutMs / 1_000}` : `SET SESSION max_execution_time = ${timeoutMs}`;
}

/**
 * mysql2's pool waits for a free connection for ever, and a stalled server would hold every
 * request that long. This bounds each acquire to `timeoutMs` (a waiter that gives up releases the
 * connection it gets later at once) and sets the statement limit on each connection before its
 * first use.
 */
export function boundPoolAcquire(dataSource: DataSource, serverType: ServerType, timeoutMs: number): void {
  // With read replicas TypeORM holds a pool cluster (the primary and each replica) instead of a pool.
  const driver = dataSource.driver as unknown as { pool?: Pool; poolCluster?: Pool };
  const pool = (driver.poolCluster ?? driver.pool)!;
  const acquire = pool.getConnection.bind(pool);
  const limited = new WeakSet<PooledConnection>();
  const sessionSql = statementLimitSql(serverType, timeoutMs);

  pool.getConnection = (...args: [...unknown[], Callback]) => {
    const callback = args.pop() as Callback;
    const deadline = Date.now() + timeoutMs;
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      callback(new PoolAcquireTimeoutError(`no database connection within ${timeoutMs} ms`));
    }, timeoutMs);
    const settle = (error: Error | null, connection?: PooledConnection) => {
      if (settled) return void connection?.release();
      settled = true;
      clearTimeout(timer);
      callback(error, connection);
    };
    acquire(...args, (error: Error | null, connection?: PooledConnection) => {
      if (error || !connection || limited.has(connection)) return settle(error, connection);
      connection.query({ sql: sessionSql, timeout: Math.max(1, deadline - Date.now()) }, (setError) => {
        if (setError) {
          connection.destroy();
          return settle(setError);
        }
        limited.add(connection);
        settle(null, connection);
      });
    });
  };
}
