import { join } from 'node:path';
import type { MysqlDataSourceOptions } from 'typeorm/driver/mysql/MysqlDataSourceOptions';
import type { DatabaseConfig } from '../config/app-config';
import { DropTimedOutConnectionSubscriber } from './drop-timed-out-connection.subscriber';
import { QueryLogger } from './query-log';

/** TypeORM speaks each dialect slightly differently (schema metadata, shared locks); detected at start-up. */
export type ServerType = 'mysql' | 'mariadb';

/** The one place that describes how the service talks to MySQL/MariaDB. */
export function databaseOptions(config: DatabaseConfig, serverType: ServerType): MysqlDataSourceOptions {
  return {
    type: serverType,
    host: config.host,
    port: config.port,
    username: config.user,
    password: config.password,
    database: config.name,
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
