import { createConnection, RowDataPacket } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../config/app-config';
import { databaseOptions, ServerType } from './database-options';

const MIGRATION_LOCK = 'order_service_migrations';

/**
 * Creates the database if it is missing and applies pending migrations. A named lock keeps
 * several instances starting at once from running the same migration twice.
 * Returns whether the server is MySQL or MariaDB.
 */
export async function prepareDatabase(config: DatabaseConfig): Promise<ServerType> {
  let serverType: ServerType;
  const server = await createConnection({ host: config.host, port: config.port, user: config.user, password: config.password });
  try {
    const [rows] = await server.query<RowDataPacket[]>('SELECT VERSION() AS version');
    serverType = String(rows[0].version).includes('MariaDB') ? 'mariadb' : 'mysql';
    await server.query(`CREATE DATABASE IF NOT EXISTS \`${config.name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await server.end();
  }

  // No statement time limit here: a migration or the wait for the migration lock may take longer.
  // Quiet: this runs before the app's logger exists (TypeORM's 'debug' logger writes only under DEBUG=typeorm:*).
  const dataSource = new DataSource({
    ...databaseOptions(config, serverType),
    replication: undefined, // migrations: the primary only
    poolSize: 1,
    enableQueryTimeout: false,
    maxQueryExecutionTime: undefined,
    logger: 'debug',
  });
  await dataSource.initialize();
  try {
    const [{ acquired }] = await dataSource.query<Array<{ acquired: number }>>('SELECT GET_LOCK(?, 60) AS acquired', [MIGRATION_LOCK]);
    if (Number(acquired) !== 1) throw new Error('another instance held the migration lock for 60 s; not migrating alongside it');
    await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.query('SELECT RELEASE_LOCK(?)', [MIGRATION_LOCK]);
  } finally {
    await dataSource.destroy();
  }
  return serverType;
}
