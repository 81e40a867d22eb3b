// `npm run demo -- --fresh`: drops the demo database so the demo starts over from the seed
// (start-up creates and migrates it again). Only the database DB_NAME names is touched.
import { createConnection } from 'mysql2/promise';
import { loadDatabaseConfig } from '../src/config/app-config';

async function main(): Promise<void> {
  const { host, port, user, password, name } = loadDatabaseConfig();
  const db = await createConnection({ host, port, user, password });
  try {
    await db.query(`DROP DATABASE IF EXISTS \`${name}\``);
    console.log(`Dropped the demo database ${name}: the demo starts from fresh data.`);
  } finally {
    await db.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
