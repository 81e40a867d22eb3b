// `npm run demo` runs this beside the API: it waits for readiness, starts the demo storefront,
// then prints where everything is, the demo data and a ready access token for each demo user.
// It keeps running: it serves the storefront until the demo stops.
import { createConnection, RowDataPacket } from 'mysql2/promise';
import { loadConfig } from '../src/config/app-config';
import { DEMO_USERS } from '../src/seed/demo-catalogue';
import { signDevToken } from './dev-token';
import { startStorefrontServer } from './storefront-server';

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
  const storefrontPort = Number(process.env.STOREFRONT_PORT ?? 5173);
  await waitUntilReady(`${api}/health/ready`);

  const { host, port, user, password, name } = config.database;
  const db = await createConnection({ host, port, user, password, database: name });
  try {
    const [users] = await db.query<RowDataPacket[]>(
      'SELECT u.id, u.name, b.balance FROM users u JOIN user_balances b ON b.user_id = u.id WHERE u.name IN (?) ORDER BY u.id',
      [DEMO_USERS.map((u) => u.name)],
    );
    const [coupons] = await db.query<RowDataPacket[]>(
      'SELECT id, name, discount_type AS type, discount_value AS value, issued_quantity AS issued, total_quantity - issued_quantity AS remaining FROM coupons ORDER BY id',
    );
    const [[products]] = await db.query<RowDataPacket[]>('SELECT MIN(id) AS first, MAX(id) AS last, COUNT(*) AS count FROM products');

    const tokens = await Promise.all(users.map((u) => signDevToken(config.auth, Number(u.id))));
    const storefront = await startStorefrontServer(() => ({
      apiUrl: `http://127.0.0.1:${config.http.port}`,
      users: users.map((u, i) => ({ id: Number(u.id), name: String(u.name), token: tokens[i] })),
      coupons: coupons.map((c) => Number(c.id)),
    }), storefrontPort);
    const nobodyHoldsOne = coupons.every((c) => Number(c.issued) === 0);

    const lines = [
      '',
      `Demo ready. Stop it with Ctrl-C. Start over with fresh data: npm run demo -- --fresh`,
      `  Storefront     ${storefront.url}   (a web shop on its own origin, allowed by CORS_ORIGINS)`,
      `  API            ${api}/api/v1   (e.g. ${api}/api/v1/products?size=5)`,
      `  Swagger UI     ${api}/docs   (Authorize: bearer = a token below, admin-key = ${config.admin.apiKey})`,
      `  Mock platform  ${config.outbox.dataPlatformUrl ?? '(not set)'}   (GET it to see delivered events)`,
      '',
      `Products: ${products.count} (ids ${products.first}–${products.last}). Coupons${nobodyHoldsOne ? ' (nobody holds one yet)' : ''}:`,
      ...coupons.map((c) => `  coupon ${c.id}  ${c.name}: ${c.type === 'FIXED' ? won(c.value) : `${c.value}%`} off, ${c.issued} issued, ${c.remaining} left`),
      '',
      'Users, their balances and access tokens (valid 12 h):',
    ];
    users.forEach((u, i) => lines.push(`  user ${u.id}  ${u.name}, balance ${won(Number(u.balance))}`, `    ${tokens[i]}`));
    console.log(lines.join('\n'));
  } finally {
    await db.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
