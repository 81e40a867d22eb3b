import { DataSource } from 'typeorm';
import { databaseOptions } from '../src/database/database-options';
import { prepareDatabase } from '../src/database/prepare-database';
import { dropDatabase, testConfig } from './support/test-app';

describe('schema (e2e)', () => {
  const config = testConfig();
  let dataSource: DataSource;

  beforeAll(async () => {
    const serverType = await prepareDatabase(config.database);
    dataSource = await new DataSource(databaseOptions(config.database, serverType)).initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
    await dropDatabase(config);
  });

  // The same comparison `typeorm migration:generate --check` makes: entities and migrations agree.
  it('migrations produce exactly the schema the entities describe', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('running the migrations again is a no-op', async () => {
    await prepareDatabase(config.database);
    expect(await dataSource.showMigrations()).toBe(false);
  });
});
