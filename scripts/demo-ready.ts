// `npm run demo` runs this once the API is up: it waits for readiness, then prints where
// everything is, the demo data and a ready access token for each demo user.
import { createConnection, RowDataPacket } from 'mysql2/promise';
import { loadConfig } from '../src/config/app-config';
import { DEMO_USERS } from '../src/seed/demo-catalogue';
import { signDevToken } from './dev-token';

const READY_TIMEOUT_MS = 120_000;
const won = (amount: number) => `${amount.toLocaleString('en-US')} won`;

async function waitUntilReady(url: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${READY_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const api = `http://localhost:${config.http.port}`;
  await waitUntilReady(`${api}/health/ready`);

  const { host, port, user, password, name } = config.database;
  const db = await createConnection({ host, port, user, password, database: name });
  try {
    const [users] = await db.query<RowDataPacket[]>(
      'SELECT u.id, u.name, b.balance FROM users u JOIN user_balances b ON b.user_id = u.id WHERE u.name IN (?) ORDER BY u.id',
      [DEMO_USERS.map((u) => u.name)],
    );
    const [coupons] = await db.query<RowDataPacket[]>(
      'SELECT id, name, discount_type AS type, discount_value AS value, total_quantity - issued_quantity AS remaining FROM coupons ORDER BY id',
    );
    const [[products]] = await db.query<RowDataPacket[]>('SELECT MIN(id) AS first, MAX(id) AS last, COUNT(*) AS count FROM products');

    const lines = [
      '',
      `Demo ready. Stop it with Ctrl-C.`,
      `  API            ${api}/api/v1   (e.g. ${api}/api/v1/products?size=5)`,
      `  Swagger UI     ${api}/docs   (Authorize: bearer = a token below, admin-key = ${config.admin.apiKey})`,
      `  Mock platform  ${config.outbox.dataPlatformUrl ?? '(not set)'}   (GET it to see delivered events)`,
      '',
      `Products: ${products.count} (ids ${products.first}–${products.last}). Coupons (nobody holds one yet):`,
      ...coupons.map((c) => `  coupon ${c.id}  ${c.name}: ${c.type === 'FIXED' ? won(c.value) : `${c.value}%`} off, ${c.remaining} left`),
      '',
      'Users, their balances and access tokens (valid 12 h):',
    ];
    for (const u of users) {
      lines.push(`  user ${u.id}  ${u.name}, balance ${won(Number(u.balance))}`, `    ${await signDevToken(config.auth, Number(u.id))}`);
    }
    console.log(lines.join('\n'));
  } finally {
    await db.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
