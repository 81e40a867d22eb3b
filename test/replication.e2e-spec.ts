import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection, RowDataPacket } from 'mysql2/promise';
import { authHeader } from './support/auth';
import { makeCoupon, makeProduct, makeUser, ProductFixture } from './support/factories';
import { startTcpProxy, TcpProxy } from './support/tcp-proxy';
import { ADMIN_KEY, startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

// A real MariaDB primary and replica (scripts/replica-pair.sh). The app connects as `app`, a user
// without SUPER / READ_ONLY ADMIN: read_only on the replica refuses every write it could send there.
const PAIR = join(__dirname, '..', 'scripts', 'replica-pair.sh');
const DIR = join(tmpdir(), `replica-pair-${process.pid}`);
const PRIMARY_PORT = 3416;
const REPLICA_PORT = 3417;
const REPLICA = `127.0.0.1:${REPLICA_PORT}`;
const GENEROUS_MS = 30_000;

const pair = (...args: string[]) => promisify(execFile)('bash', [PAIR, ...args], { timeout: 90_000 });

/** One statement as root (bypasses read_only: for replication control and checks, never for writes to the replica). */
async function asRoot<T = RowDataPacket>(port: number, sql: string, params: unknown[] = []): Promise<T[]> {
  const connection = await createConnection({ host: '127.0.0.1', port, user: 'root' });
  try {
    return (await connection.query<RowDataPacket[]>(sql, params))[0] as T[];
  } finally {
    await connection.end();
  }
}

describe('read replicas (e2e, a real MariaDB primary and replica)', () => {
  let t: TestApp;
  let admin: { 'X-Admin-Key': string };

  beforeAll(async () => {
    await pair('start', DIR, String(PRIMARY_PORT), String(REPLICA_PORT));
    t = await startTestApp({ DB_HOST: '127.0.0.1', DB_PORT: String(PRIMARY_PORT), DB_USER: 'app', DB_PASSWORD: '', DB_REPLICA_HOSTS: REPLICA, RANKING_CACHE_TTL_SECONDS: '0' });
    admin = { 'X-Admin-Key': ADMIN_KEY };
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await pair('stop', DIR);
  }, 120_000);

  const replicaState = async () => (await t.http.get('/health/ready').expect(200)).body.replicas as Array<{ replica: string; status: string }>;
  const publicStock = async (product: ProductFixture) => (await t.http.get(`/api/v1/products/${product.id}`).expect(200)).body.stock as number;
  const restock = async (product: ProductFixture, quantity: number) =>
    (await t.http.post(`/api/v1/products/${product.id}/stock`).set(admin).send({ quantity }).expect(200)).body.stock as number;

  /** The replica has applied everything the primary has written so far. */
  async function replicaCaughtUp(): Promise<void> {
    const [{ position }] = await asRoot<{ position: string }>(PRIMARY_PORT, 'SELECT @@gtid_binlog_pos AS position');
    const [{ waited }] = await asRoot<{ waited: number }>(REPLICA_PORT, 'SELECT MASTER_GTID_WAIT(?, 30) AS waited', [position]);
    expect(waited).toBe(0);
  }

  /** The replica stops applying what it receives: its data stays as it is now. */
  async function freezeReplica(): Promise<void> {
    await replicaCaughtUp();
    await asRoot(REPLICA_PORT, 'STOP SLAVE SQL_THREAD');
  }

  const thawReplica = () => asRoot(REPLICA_PORT, 'START SLAVE SQL_THREAD');

  it('reports the replica up on /health/ready', async () => {
    // The replica's pool may have been skipped at start-up (its copy of the database not there yet).
    await waitFor('the replica reported up', async () => (await replicaState())[0]?.status === 'up', GENEROUS_MS);
    expect(await replicaState()).toEqual([{ replica: REPLICA, status: 'up' }]);
  });

  it('serves the public reads from the replica, and transactions and user-scoped reads from the primary', async () => {
    const user = await makeUser(t.http, { balance: 1_000_000 });
    const auth = await authHeader(user.id);
    const product = await makeProduct(t.http, { stock: 10, price: 1_000 });
    const coupon = await makeCoupon(t.http, { totalQuantity: 5, discountType: 'FIXED', discountValue: 100 });
    await freezeReplica();
    try {
      expect(await restock(product, 5)).toBe(15);
      // The replica has not applied the restock: the public read shows the stock before it.
      expect(await publicStock(product)).toBe(10);
      const listed = (await t.http.get('/api/v1/products?size=100').expect(200)).body.items.find((item: { id: number }) => item.id === product.id);
      expect(listed).toMatchObject({ id: product.id, stock: 10 });

      // An order for all 15 units can only succeed on the primary's stock.
      const order = await t.http.post('/api/v1/orders').set(auth).send({ userId: user.id, items: [{ productId: product.id, quantity: 15 }] }).expect(201);
      await t.http.get(`/api/v1/orders/${order.body.orderId}`).set(auth).expect(200);
      await t.http.post('/api/v1/payments').set(auth).send({ orderId: order.body.orderId, userId: user.id }).expect(201);
      const paid = await t.http.get(`/api/v1/orders/${order.body.orderId}`).set(auth).expect(200);
      expect(paid.body.status).toBe('PAID');
      expect((await t.http.get(`/api/v1/users/${user.id}/balance`).set(auth).expect(200)).body.balance).toBe(1_000_000 - 15_000);

      await t.http.post(`/api/v1/coupons/${coupon.id}/issue`).set(auth).send({ userId: user.id }).expect(201);
      const owned = await t.http.get(`/api/v1/users/${user.id}/coupons`).set(auth).expect(200);
      expect(owned.body.items.map((item: { couponId: number }) => item.couponId)).toEqual([coupon.id]);

      // Still the replica's view: no sale, the coupon untouched, the stock before the restock.
      expect(await publicStock(product)).toBe(10);
      expect((await t.http.get(`/api/v1/coupons/${coupon.id}`).expect(200)).body).toMatchObject({ issuedQuantity: 0, remainingQuantity: 5 });
      expect((await t.http.get('/api/v1/products/top?days=1').expect(200)).body.items).toEqual([]);
    } finally {
      await thawReplica();
    }

    await waitFor('the public product read to catch up', async () => (await publicStock(product)) === 0, GENEROUS_MS);
    await waitFor('the public coupon read to catch up', async () => (await t.http.get(`/api/v1/coupons/${coupon.id}`)).body.remainingQuantity === 4, GENEROUS_MS);
    const top = await waitFor('the top products to catch up', async () => {
      const items = (await t.http.get('/api/v1/products/top?days=1').expect(200)).body.items as Array<{ productId: number; soldQuantity: number }>;
      return items.length > 0 ? items : undefined;
    }, GENEROUS_MS);
    expect(top).toEqual([expect.objectContaining({ rank: 1, productId: product.id, soldQuantity: 15 })]);
  });

  describe('the replica stops and comes back', () => {
    let product: ProductFixture;

    beforeAll(async () => {
      product = await makeProduct(t.http, { stock: 3 });
      await replicaCaughtUp();
      await pair('replica-down', DIR);
    }, 120_000);

    it('serves the public reads from the primary while the replica is down, and stays ready', async () => {
      // Only the primary has these: its values prove who answered.
      expect(await restock(product, 4)).toBe(7);
      expect(await publicStock(product)).toBe(7);
      const coupon = await makeCoupon(t.http, { totalQuantity: 9 });
      expect((await t.http.get(`/api/v1/coupons/${coupon.id}`).expect(200)).body).toMatchObject({ id: coupon.id, remainingQuantity: 9 });
      const listed = (await t.http.get('/api/v1/products?size=100').expect(200)).body.items.find((item: { id: number }) => item.id === product.id);
      expect(listed).toMatchObject({ stock: 7 });
      await t.http.get('/api/v1/products/top?days=1').expect(200);

      const ready = await t.http.get('/health/ready').expect(200);
      expect(ready.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } }, replicas: [{ replica: REPLICA, status: 'down' }] });
    });

    it('takes the replica back once it runs again', async () => {
      await pair('replica-up', DIR);
      await waitFor('the replica reported up again', async () => (await replicaState())[0]?.status === 'up', GENEROUS_MS);
      await freezeReplica();
      try {
        expect(await restock(product, 1)).toBe(8);
        // Reads may reach the primary until the replica is tried again; then they show its stock.
        await waitFor('a public read served by the replica again', async () => (await publicStock(product)) === 7, GENEROUS_MS);
      } finally {
        await thawReplica();
      }
      await waitFor('the public read to catch up', async () => (await publicStock(product)) === 8, GENEROUS_MS);
    });
  });

  describe('the replica stalls (behind a TCP proxy that holds every byte back)', () => {
    let proxy: TcpProxy;
    let stalling: TestApp;

    beforeAll(async () => {
      proxy = await startTcpProxy('127.0.0.1', REPLICA_PORT);
      // A second instance on the same database, reaching the replica through the proxy only.
      stalling = await startTestApp(
        { DB_HOST: '127.0.0.1', DB_PORT: String(PRIMARY_PORT), DB_USER: 'app', DB_PASSWORD: '', DB_NAME: t.config.database.name, DB_REPLICA_HOSTS: `127.0.0.1:${proxy.port}`, DB_QUERY_TIMEOUT_MS: '1000' },
        { keepDatabase: true },
      );
    }, 120_000);

    afterAll(async () => {
      proxy?.resume();
      await stalling?.close();
      await proxy?.close();
    });

    it('answers the public reads from the primary while the replica does not answer, and uses it again after', async () => {
      const stallingReplica = `127.0.0.1:${proxy.port}`;
      const ready = async () => (await stalling.http.get('/health/ready').expect(200)).body.replicas;
      const stock = async (product: ProductFixture) => (await stalling.http.get(`/api/v1/products/${product.id}`).expect(200)).body.stock as number;
      await waitFor('the proxied replica reported up', async () => (await ready())[0]?.status === 'up', GENEROUS_MS);
      const product = await makeProduct(t.http, { stock: 20 });
      await freezeReplica();
      try {
        expect(await restock(product, 1)).toBe(21);
        await waitFor('the replica serving the public read', async () => (await stock(product)) === 20, GENEROUS_MS);

        proxy.pause();
        // Only the primary has 21: the stalled replica was given up on (after at most the time limit).
        expect(await stock(product)).toBe(21);
        expect(await stock(product)).toBe(21);
        expect(await ready()).toEqual([{ replica: stallingReplica, status: 'down' }]);
        proxy.resume();

        await waitFor('the replica reported up after the stall', async () => (await ready())[0]?.status === 'up', GENEROUS_MS);
        await waitFor('the replica serving the public read again', async () => (await stock(product)) === 20, GENEROUS_MS);
      } finally {
        proxy.resume();
        await thawReplica();
      }
      await waitFor('the public read to catch up', async () => (await stock(product)) === 21, GENEROUS_MS);
    });
  });

  // Declared last, so it runs after every other test of the suite.
  it('never wrote to the replica, and a write there fails for the app user', async () => {
    // The replica's own binary log holds only writes made on it (replicated ones are not logged
    // there): empty after the whole suite. It did replicate the primary's.
    const [{ local, applied }] = await asRoot<{ local: string; applied: string }>(REPLICA_PORT, 'SELECT @@gtid_binlog_pos AS local, @@gtid_slave_pos AS applied');
    expect({ local, applied: applied.length > 0 }).toEqual({ local: '', applied: true });
    // And a write the app's user sent there would fail loudly.
    const app = await createConnection({ host: '127.0.0.1', port: REPLICA_PORT, user: 'app', database: t.config.database.name });
    try {
      await expect(app.query('UPDATE products SET stock = stock + 1')).rejects.toMatchObject({ errno: 1290 });
    } finally {
      await app.end();
    }
  });
});
