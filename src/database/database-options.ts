import { join } from 'node:path';
import type { MysqlDataSourceOptions } from 'typeorm/driver/mysql/MysqlDataSourceOptions';
import type { DatabaseConfig } from '../config/app-config';
import { DropTimedOutConnectionSubscriber } from './drop-timed-out-connection.subscriber';
import { QueryLogger } from './query-log';

/** TypeORM speaks each dialect slightly differently (schema metadata, shared locks); detected at start-up. */
export type ServerType = 'mysql' | 'mariadb';

/** How long a replica that failed to connect is skipped before it is tried again. */
export const REPLICA_RETRY_AFTER_MS = 2_000;

/** A DB_REPLICA_HOSTS entry: `host` or `host:port` (the primary's port when absent). */
export function parseReplicaHost(entry: string, defaultPort: number): { host: string; port: number } {
  const [host, port] = entry.split(':');
  return { host, port: port === undefined ? defaultPort : Number(port) };
}

/**
 * With DB_REPLICA_HOSTS, TypeORM's replication: one mysql2 PoolCluster holding the primary and a
 * pool per replica. Everything TypeORM runs goes to the primary (`defaultMode: 'master'`); only
 * `publicRead` (read-replicas.ts) asks for a replica. A replica whose connection attempt fails is
 * skipped for REPLICA_RETRY_AFTER_MS, then tried again (`removeNodeErrorCount` 1 with
 * `restoreNodeTimeout`; the default, 0, would drop it for good); `canRetry` moves the read on to
 * another replica at once. The same holds for the primary: after a failed connection it is tried
 * again REPLICA_RETRY_AFTER_MS later, and requests meanwhile answer 503.
 */
function replication(config: DatabaseConfig): Pick<MysqlDataSourceOptions, 'replication'> {
  if (config.replicaHosts.length === 0) return {};
  const credentials = { username: config.user, password: config.password, database: config.name };
  return {
    replication: {
      master: { host: config.host, port: config.port, ...credentials },
      slaves: config.replicaHosts.map((entry) => ({ ...parseReplicaHost(entry, config.port), ...credentials })),
      canRetry: true,
      removeNodeErrorCount: 1,
      restoreNodeTimeout: REPLICA_RETRY_AFTER_MS,
      selector: 'RR',
      defaultMode: 'master',
    },
  };
}

/** The one place that describes how the service talks to MySQL/MariaDB. */
export function databaseOptions(config: DatabaseConfig, serverType: ServerType): MysqlDataSourceOptions {
  return {
    type: serverType,
    host: config.host,
    port: config.port,
    username: config.user,
    password: config.password,
    database: config.name,
    ...replication(config),
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    poolSize: config.poolSize,
    // Every statement is bounded on the client (the server's own limit is set per session, see
    // bounded-pool.ts); a connection that timed out is closed. Connecting is bounded the same.
    maxQueryExecutionTime: config.queryTimeoutMs,
    enableQueryTimeout: true,
    connectTimeout: config.queryTimeoutMs,
    subscribers: [DropTimedOutConnectionSubscriber],
    // Ids and money are BIGINT: return them as JS numbers (all values stay below 2^53).
    supportBigNumbers: true,
    bigNumberStrings: false,
    extra: { decimalNumbers: true, enableKeepAlive: true },
    // No stack trace captured on every query (mysql2's default): failed queries are logged with their statement's shape.
    trace: false,
    logger: new QueryLogger(),
    entities: [join(__dirname, '..', '**', '*.entity.{ts,js}')],
    migrations: [join(__dirname, 'migrations', '*.{ts,js}')],
    migrationsTableName: 'migrations',
    synchronize: false,
  };
}
