import { join } from 'node:path';
import type { MysqlDataSourceOptions } from 'typeorm/driver/mysql/MysqlDataSourceOptions';
import type { DatabaseConfig } from '../config/app-config';

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
    // Ids and money are BIGINT: return them as JS numbers (all values stay below 2^53).
    supportBigNumbers: true,
    bigNumberStrings: false,
    extra: { decimalNumbers: true, enableKeepAlive: true },
    // No stack trace captured on every query (mysql2's default): failed queries are logged with their SQL.
    trace: false,
    entities: [join(__dirname, '..', '**', '*.entity.{ts,js}')],
    migrations: [join(__dirname, 'migrations', '*.{ts,js}')],
    migrationsTableName: 'migrations',
    synchronize: false,
  };
}
