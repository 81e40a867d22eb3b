import { DataSource, EntityManager } from 'typeorm';
import type { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver';

/**
 * Runs a public read (the product list, one product, top products, one coupon) on a read replica
 * (DB_REPLICA_HOSTS), passing `read` a manager whose statements go to it; without replicas, on the
 * primary. Only those reads may come here: they may lag the primary by the replication delay,
 * which no user-scoped read may (a user reads their own writes), and a write here would fail.
 *
 * A replica that gives no connection (none configured answers, or every one is being skipped after
 * a failed attempt), loses it mid-read or does not answer within DB_QUERY_TIMEOUT_MS leaves the
 * read to the primary, so a replica outage costs no request (a stalled one costs the wait). The
 * pool cluster skips a replica that failed to connect and tries it again later
 * (database-options.ts). SQL errors are the read's own and are thrown as they are.
 */
export async function publicRead<T>(dataSource: DataSource, read: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (!(dataSource.driver as MysqlDriver).isReplicated) return read(dataSource.manager);
  const runner = dataSource.createQueryRunner('slave');
  try {
    try {
      await runner.connect();
    } catch {
      return await read(dataSource.manager);
    }
    try {
      return await read(runner.manager);
    } catch (error) {
      if (!lostConnection(error)) throw error;
      return await read(dataSource.manager);
    }
  } finally {
    await runner.release();
  }
}

export interface ReplicaStatus {
  /** `host:port` as configured. */
  replica: string;
  status: 'up' | 'down';
}

/**
 * Each configured replica, up when it answers `SELECT 1` within `timeoutMs`. A replica being
 * skipped after a failed connection counts as down until it is tried again and answers.
 */
export async function replicaStatuses(dataSource: DataSource, timeoutMs: number): Promise<ReplicaStatus[]> {
  const driver = dataSource.driver as MysqlDriver;
  const slaves = driver.options.replication?.slaves ?? [];
  return Promise.all(
    slaves.map(async (slave, index) => {
      const up = await ping(driver, `SLAVE${index}`, timeoutMs);
      return { replica: `${slave.host}:${slave.port}`, status: up ? 'up' : 'down' } satisfies ReplicaStatus;
    }),
  );
}

interface ClusterConnection {
  query(options: { sql: string; timeout: number }, callback: (error: Error | null) => void): void;
  release(): void;
}

/** TypeORM names the replicas' pools SLAVE0, SLAVE1, … in DB_REPLICA_HOSTS order. */
function ping(driver: MysqlDriver, node: string, timeoutMs: number): Promise<boolean> {
  const cluster = driver.poolCluster as { getConnection(pattern: string, callback: (error: Error | null, connection?: ClusterConnection) => void): void };
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    cluster.getConnection(node, (error, connection) => {
      if (error || !connection) {
        clearTimeout(timer);
        return resolve(false);
      }
      connection.query({ sql: 'SELECT 1', timeout: timeoutMs }, (queryError) => {
        connection.release();
        clearTimeout(timer);
        resolve(queryError === null);
      });
    });
  });
}

/**
 * The replica connection is gone (mysql2 marks such errors fatal: closed, reset) or the replica
 * stopped answering (mysql2's timeout, DB_QUERY_TIMEOUT_MS; the connection is closed then). The
 * server's own statement limit (MariaDB 1969) is an answer, not a lost replica.
 */
function lostConnection(error: unknown): boolean {
  const driverError = (error as { driverError?: { fatal?: boolean; code?: string } } | undefined)?.driverError;
  return driverError?.fatal === true || driverError?.code === 'PROTOCOL_SEQUENCE_TIMEOUT';
}
