// Standalone data source for the TypeORM CLI (`npm run migration:generate`, `migration:run`).
import { DataSource } from 'typeorm';
import { loadDatabaseConfig } from '../config/app-config';
import { databaseOptions } from './database-options';

// The app detects the server type at start-up; the CLI takes DB_TYPE (default mariadb).
// Migrations run without the service's statement time limit.
export default new DataSource({
  ...databaseOptions(loadDatabaseConfig(), process.env.DB_TYPE === 'mysql' ? 'mysql' : 'mariadb'),
  replication: undefined, // migrations: the primary only
  enableQueryTimeout: false,
  maxQueryExecutionTime: undefined,
});
