// Prints a ready access token for each demo user (`npm run demo` runs it after seeding).
import { createConnection, RowDataPacket } from 'mysql2/promise';
import { loadConfig } from '../src/config/app-config';
import { DEMO_USERS } from '../src/seed/demo-catalogue';
import { signDevToken } from './dev-token';

async function main(): Promise<void> {
  const config = loadConfig();
  const { host, port, user, password, name } = config.database;
  const db = await createConnection({ host, port, user, password, database: name });
  try {
    const [users] = await db.query<RowDataPacket[]>('SELECT id, name FROM users WHERE name IN (?) ORDER BY id', [DEMO_USERS.map((u) => u.name)]);
    console.log('Access tokens for the demo users (valid 12 h; Swagger UI: Authorize → bearer):');
    for (const { id, name: userName } of users) console.log(`  ${userName} (user ${id}): ${await signDevToken(config.auth, Number(id))}`);
  } finally {
    await db.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
