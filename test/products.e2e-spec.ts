import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection, RowDataPacket } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { databaseOptions } from '../src/database/database-options';
import { prepareDatabase } from '../src/database/prepare-database';
import { makeProduct } from './support/factories';
import { ADMIN_KEY, dropDatabase, startTestApp, testConfig, useTestApp } from './support/test-app';

describe('products (e2e)', () => {
  const t = useTestApp();

  const createProduct = (body: unknown, key: string | null = ADMIN_KEY) => {
    const post = t.http.post('/api/v1/products');
    return (key === null ? post : post.set('X-Admin-Key', key)).send(body as object);
  };

  it('creates a product (admin) and reads it back', async () => {
    const created = await createProduct({ name: 'Mechanical keyboard', price: 129_000, stock: 7 }).expect(201);
    expect(created.body).toEqual({ id: expect.any(Number), name: 'Mechanical keyboard', price: 129_000, stock: 7 });
    await t.http.get(`/api/v1/products/${created.body.id}`).expect(200, created.body);
  });

  it('accepts the bounds of price and stock', async () => {
    await createProduct({ name: 'cheapest', price: 1, stock: 0 }).expect(201);
    await createProduct({ name: 'dearest', price: 100_000_000, stock: 1_000_000 }).expect(201);
  });

  it('answers PRODUCT_NOT_FOUND for an unknown id', async () => {
    const response = await t.http.get('/api/v1/products/987654').expect(404);
    expect(response.body).toMatchObject({ statusCode: 404, code: 'PRODUCT_NOT_FOUND' });
  });

  const productIds = async () => (await t.query<{ id: number }>('SELECT id FROM products ORDER BY id')).map((row) => Number(row.id));
  const countedTotal = async () => Number((await t.query<{ total: number }>('SELECT COUNT(*) AS total FROM products'))[0].total);

  it('lists products ordered by id with page, size, total and nextCursor', async () => {
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await makeProduct(t.http));
    const total = await countedTotal();

    const all = await t.http.get('/api/v1/products?size=100').expect(200);
    expect(all.body).toEqual({ items: expect.any(Array), page: 1, size: 100, total, nextCursor: null });
    expect(all.body.items.map((p: { id: number }) => p.id)).toEqual(await productIds());
    expect(all.body.items).toEqual(expect.arrayContaining(made));

    const page2 = await t.http.get('/api/v1/products?page=2&size=2').expect(200);
    expect(page2.body).toEqual({ items: all.body.items.slice(2, 4), page: 2, size: 2, total, nextCursor: String(all.body.items[3].id) });

    const defaults = await t.http.get('/api/v1/products').expect(200);
    expect(defaults.body).toMatchObject({ page: 1, size: 20, total });

    const beyond = await t.http.get('/api/v1/products?page=500').expect(200);
    expect(beyond.body).toEqual({ items: [], page: 500, size: 20, total, nextCursor: null });
  });

  it('a cursor walk returns every product exactly once, in id order, answering page: null', async () => {
    for (let i = 0; i < 23; i++) await makeProduct(t.http);
    const ids = await productIds();
    const total = ids.length;

    const first = await t.http.get('/api/v1/products?page=1&size=7').expect(200);
    const walked: number[] = first.body.items.map((p: { id: number }) => p.id);
    let cursor: string | null = first.body.nextCursor;
    let pages = 1;
    while (cursor !== null) {
      const next = await t.http.get(`/api/v1/products?cursor=${cursor}&size=7`).expect(200);
      expect(next.body).toMatchObject({ page: null, size: 7, total });
      expect(next.body.items.length).toBeGreaterThan(0);
      walked.push(...next.body.items.map((p: { id: number }) => p.id));
      cursor = next.body.nextCursor;
      pages++;
    }
    expect(walked).toEqual(ids);
    expect(pages).toBe(Math.ceil(total / 7));
  });

  it("a page's nextCursor continues exactly where the next page number starts", async () => {
    for (let i = 0; i < 6; i++) await makeProduct(t.http);
    const page2 = await t.http.get('/api/v1/products?page=2&size=3').expect(200);
    const page3 = await t.http.get('/api/v1/products?page=3&size=3').expect(200);
    const afterCursor = await t.http.get(`/api/v1/products?cursor=${page2.body.nextCursor}&size=3`).expect(200);
    expect(afterCursor.body).toEqual({ ...page3.body, page: null });
  });

  it('a cursor past the last product answers an empty page', async () => {
    const [last] = (await productIds()).slice(-1);
    const response = await t.http.get(`/api/v1/products?cursor=${last}`).expect(200);
    expect(response.body).toEqual({ items: [], page: null, size: 20, total: await countedTotal(), nextCursor: null });
  });

  it('reaches page × size = 10,000 and no further', async () => {
    await t.http.get('/api/v1/products?page=500&size=20').expect(200);
    await t.http.get('/api/v1/products?page=100&size=100').expect(200);
    await t.http.get('/api/v1/products?page=10000&size=1').expect(200);
    for (const query of ['page=501', 'page=501&size=20', 'page=101&size=100', 'page=10001&size=1', 'page=5001&size=2']) {
      const response = await t.http.get(`/api/v1/products?${query}`).expect(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/^page /) });
    }
  });

  it('total stays exact under 20 concurrent admin creates', async () => {
    const before = (await t.http.get('/api/v1/products?size=1').expect(200)).body.total;
    expect(before).toBe(await countedTotal());
    const created = await Promise.all(Array.from({ length: 20 }, () => createProduct({ name: 'rush', price: 1_000, stock: 1 })));
    expect(created.map((r) => r.status)).toEqual(Array(20).fill(201));

    const after = (await t.http.get('/api/v1/products?size=1').expect(200)).body.total;
    expect(after).toBe(before + 20);
    expect(after).toBe(await countedTotal());
    expect(await t.query('SELECT id, total FROM product_count')).toEqual([{ id: 1, total: after }]);
  });

  describe('admin key', () => {
    it.each([
      ['missing', null],
      ['wrong', 'not-the-admin-key'],
    ])('%s key → 401 UNAUTHORIZED, nothing created', async (_case, key) => {
      const [before] = await t.query('SELECT COUNT(*) AS n FROM products');
      const response = await createProduct({ name: 'x', price: 1, stock: 1 }, key).expect(401);
      expect(response.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
      expect(await t.query('SELECT COUNT(*) AS n FROM products')).toEqual([before]);
    });

    it('admin endpoints answer 401 when ADMIN_API_KEY is unset', async () => {
      const closed = await startTestApp({ ADMIN_API_KEY: '' });
      try {
        await closed.http.post('/api/v1/products').set('X-Admin-Key', ADMIN_KEY).send({ name: 'x', price: 1, stock: 1 }).expect(401);
        await closed.http.post('/api/v1/users').set('X-Admin-Key', '').send({ name: 'kim' }).expect(401);
      } finally {
        await closed.close();
      }
    });
  });

  describe('bad input → 400 VALIDATION_FAILED naming the field, nothing created', () => {
    let before: unknown;

    beforeEach(async () => {
      before = await t.query('SELECT COUNT(*) AS n FROM products');
    });

    afterEach(async () => {
      expect(await t.query('SELECT COUNT(*) AS n FROM products')).toEqual(before);
    });

    it.each([
      ['missing name', { price: 1, stock: 1 }, 'name'],
      ['blank name', { name: '   ', price: 1, stock: 1 }, 'name'],
      ['name too long', { name: 'x'.repeat(201), price: 1, stock: 1 }, 'name'],
      ['name not a string', { name: 42, price: 1, stock: 1 }, 'name'],
      ['price zero', { name: 'x', price: 0, stock: 1 }, 'price'],
      ['price above 100,000,000', { name: 'x', price: 100_000_001, stock: 1 }, 'price'],
      ['price fractional', { name: 'x', price: 9.99, stock: 1 }, 'price'],
      ['price as a string', { name: 'x', price: '1000', stock: 1 }, 'price'],
      ['stock negative', { name: 'x', price: 1, stock: -1 }, 'stock'],
      ['stock above 1,000,000', { name: 'x', price: 1, stock: 1_000_001 }, 'stock'],
      ['stock missing', { name: 'x', price: 1 }, 'stock'],
      ['unknown field', { name: 'x', price: 1, stock: 1, discount: 5 }, 'discount'],
    ])('%s', async (_case, body, field) => {
      const response = await createProduct(body).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', message: expect.stringContaining(field) });
    });

    it.each([
      ['page=0', 'page'],
      ['page=x', 'page'],
      ['size=0', 'size'],
      ['size=101', 'size'],
      ['size=1.5', 'size'],
      ['sort=name', 'sort'],
      ['page=10001', 'page'],
      ['page=1&cursor=5', 'page'],
      ['cursor=5&page=2', 'page'],
      ['cursor=abc', 'cursor'],
      ['cursor=0', 'cursor'],
      ['cursor=-5', 'cursor'],
      ['cursor=1.5', 'cursor'],
      ['cursor=', 'cursor'],
      ['cursor=12345678901234567', 'cursor'],
      ["cursor=1' OR '1'='1", 'cursor'],
    ])('list query %s', async (query, field) => {
      const response = await t.http.get(`/api/v1/products?${query}`).expect(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining(field) });
    });

    it.each(['abc', '0', '-3', '2.5'])('a path productId of %s', async (id) => {
      const response = await t.http.get(`/api/v1/products/${id}`).expect(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('productId') });
    });
  });

  it('the product_count migration seeds the count from the products already there', async () => {
    const { database } = testConfig();
    const migrations = join(__dirname, '..', 'src', 'database', 'migrations');
    const before = readdirSync(migrations).filter((file) => !file.endsWith('-CreateProductCount.ts')).map((file) => join(migrations, file));
    const server = await createConnection({ host: database.host, port: database.port, user: database.user, password: database.password });
    try {
      await server.query(`CREATE DATABASE \`${database.name}\``);
      const [[{ version }]] = await server.query<RowDataPacket[]>('SELECT VERSION() AS version');
      const mariadb = String(version).includes('MariaDB');
      const older = await new DataSource({ ...databaseOptions(database, mariadb ? 'mariadb' : 'mysql'), migrations: before }).initialize();
      await older.runMigrations();
      await older.query("INSERT INTO products (name, price, stock) VALUES ('a', 1, 1), ('b', 2, 2), ('c', 3, 3)");
      await older.destroy();

      await prepareDatabase(database);
      const [rows] = await server.query(`SELECT id, total FROM \`${database.name}\`.product_count`);
      expect(rows).toEqual([{ id: 1, total: 3 }]);
    } finally {
      await server.end();
      await dropDatabase(testConfig({ DB_NAME: database.name }));
    }
  });
});
