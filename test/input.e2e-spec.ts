import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { authHeader } from './support/auth';
import { makeProduct, makeUser } from './support/factories';
import { ADMIN_KEY, TestApp, useTestApp } from './support/test-app';

/** Sends raw bytes to the app and returns what came back, parsed into status and JSON body. */
async function rawRequest(t: TestApp, raw: string): Promise<{ status: number; headers: string; body: unknown }> {
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  const socket = connect(port, '127.0.0.1');
  socket.write(raw);
  const chunks: Buffer[] = [];
  for await (const chunk of socket) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const [head, body] = text.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), headers: head, body: body ? JSON.parse(body) : undefined };
}

describe('hostile input: names, inherited field names, media types, parser errors (e2e)', () => {
  const t = useTestApp();

  describe('names are 1-100 code points, stored and returned exactly', () => {
    it.each([
      ['100 letters with variation selectors (50 × a+U+FE0F)', 'a\uFE0F'.repeat(50)],
      ['100 astral characters', '😀'.repeat(100)],
      ['ZWJ family sequences (5 code points each, 20 of them)', '👩\u200D👩\u200D👧'.repeat(20)],
      ['combining marks', 'e\u0301'.repeat(50)],
      ['one character', 'k'],
      ['Hangul with an inner space', '김 민준'],
    ])('accepts %s', async (_case, name) => {
      for (const [path, body] of [
        ['/api/v1/users', { name }],
        ['/api/v1/products', { name, price: 1_000, stock: 1 }],
        ['/api/v1/coupons', { name, discountType: 'FIXED', discountValue: 100, totalQuantity: 1, validDays: 1 }],
      ] as const) {
        const response = await t.http.post(path).set('X-Admin-Key', ADMIN_KEY).send(body);
        expect(response.status).toBe(201);
        expect(response.body.name).toBe(name);
        const table = path.split('/').pop();
        const [row] = await t.query<{ name: string }>(`SELECT name FROM ${table} WHERE id = ?`, [response.body.id]);
        expect(row.name).toBe(name);
      }
    });

    it.each([
      ['60 × a+U+FE0F (120 code points, which class-validator counted as 60)', 'a\uFE0F'.repeat(60)],
      ['101 astral characters', '😀'.repeat(101)],
      ['21 ZWJ family sequences (105 code points)', '👩\u200D👩\u200D👧'.repeat(21)],
      ['101 letters', 'x'.repeat(101)],
      ['empty', ''],
      ['blank', '   '],
      ['only U+200B (zero width space)', '\u200B'],
      ['only invisible characters and white space', '\u200B\uFEFF \u2060\u3000\u00AD'],
      ['a newline', 'kim\nlee'],
      ['a tab', 'kim\tlee'],
      ['NUL', 'kim\u0000'],
      ['ESC (terminal escape)', '\u001B[31mred'],
      ['a C1 control', 'kim\u0085'],
      ['DEL', 'kim\u007F'],
      ['a lone surrogate', 'kim\uD83D'],
    ])('refuses %s with 400 VALIDATION_FAILED naming name, and stores nothing', async (_case, name) => {
      const count = async () => Number((await t.query<{ n: number }>('SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM products) + (SELECT COUNT(*) FROM coupons) AS n'))[0].n);
      const before = await count();
      for (const [path, body] of [
        ['/api/v1/users', { name }],
        ['/api/v1/products', { name, price: 1_000, stock: 1 }],
        ['/api/v1/coupons', { name, discountType: 'FIXED', discountValue: 100, totalQuantity: 1, validDays: 1 }],
      ] as const) {
        const response = await t.http.post(path).set('X-Admin-Key', ADMIN_KEY).send(body);
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/^name /) });
      }
      expect(await count()).toBe(before);
    });
  });

  describe('field names an object inherits are unknown fields', () => {
    const INHERITED = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype', 'isPrototypeOf', '__defineGetter__'];

    it.each([...INHERITED, 'zzz'])('a body with %s → 400 VALIDATION_FAILED naming it, balance unchanged', async (field) => {
      const user = await makeUser(t.http);
      const raw = `{"amount":1000,"${field}":{"x":1}}`;
      const response = await t.http
        .post(`/api/v1/users/${user.id}/balance/charge`)
        .set(await authHeader(user.id))
        .set('Content-Type', 'application/json')
        .send(raw);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining(field) });
      const balance = await t.http.get(`/api/v1/users/${user.id}/balance`).set(await authHeader(user.id)).expect(200);
      expect(balance.body.balance).toBe(0);
    });

    it.each(INHERITED)('a nested %s in an order line → 400 naming the line field', async (field) => {
      const user = await makeUser(t.http, { balance: 100_000 });
      const product = await makeProduct(t.http, { stock: 5 });
      const raw = `{"userId":${user.id},"items":[{"productId":${product.id},"quantity":1,"${field}":1}]}`;
      const response = await t.http.post('/api/v1/orders').set(await authHeader(user.id)).set('Content-Type', 'application/json').send(raw);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining(`items.0.${field}`) });
      const after = await t.http.get(`/api/v1/products/${product.id}`).expect(200);
      expect(after.body.stock).toBe(5);
    });

    it.each([...INHERITED, 'zzz'])('a query parameter %s → 400 VALIDATION_FAILED naming it', async (field) => {
      const response = await t.http.get(`/api/v1/products?size=5&${encodeURIComponent(field)}=1`);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining(field) });
    });
  });

  describe('bodies must be application/json', () => {
    it.each([
      ['text/plain', 'text/plain', '{"amount":1000}'],
      ['a form', 'application/x-www-form-urlencoded', 'amount=1000'],
      ['XML', 'application/xml', '<charge><amount>1000</amount></charge>'],
      ['multipart', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="amount"\r\n\r\n1000\r\n--x--'],
      ['no Content-Type', undefined, '{"amount":1000}'],
    ])('%s → 415 UNSUPPORTED_MEDIA_TYPE in the contract body; nothing charged', async (_case, contentType, raw) => {
      const user = await makeUser(t.http);
      const { port } = t.app.getHttpServer().address() as AddressInfo;
      const headers: Record<string, string> = { ...(await authHeader(user.id)) };
      if (contentType) headers['Content-Type'] = contentType;
      // fetch, not supertest: supertest adds a Content-Type of its own to a string body.
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/users/${user.id}/balance/charge`, { method: 'POST', headers, body: Buffer.from(raw) });
      expect(response.status).toBe(415);
      const body = await response.json();
      expect(body).toEqual({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.any(String), requestId: expect.any(String) });
      const balance = await t.http.get(`/api/v1/users/${user.id}/balance`).set(await authHeader(user.id)).expect(200);
      expect(balance.body.balance).toBe(0);
    });

    it('application/json with a charset is accepted', async () => {
      const user = await makeUser(t.http);
      await t.http
        .post(`/api/v1/users/${user.id}/balance/charge`)
        .set(await authHeader(user.id))
        .set('Content-Type', 'application/json; charset=utf-8')
        .send('{"amount":1000}')
        .expect(200);
    });

    it('a POST without a body is still validated as an empty request (400, not 415)', async () => {
      const response = await t.http.post('/api/v1/users').set('X-Admin-Key', ADMIN_KEY);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('what one request may hold: 1,000 values, 16 levels, 20 query parameters, uncompressed', () => {
    const charge = async (body: unknown, headers: Record<string, string> = {}) => {
      const user = await makeUser(t.http);
      const response = await t.http.post(`/api/v1/users/${user.id}/balance/charge`).set(await authHeader(user.id)).set(headers).send(body as object);
      const balance = await t.http.get(`/api/v1/users/${user.id}/balance`).set(await authHeader(user.id)).expect(200);
      expect(balance.body.balance).toBe(0);
      return response;
    };
    const nested = (levels: number): unknown => (levels === 0 ? 1 : { a: nested(levels - 1) });

    it('a body of more than 1,000 values → 400 naming the limit; 1,000 values is only unknown fields', async () => {
      const over = await charge({ amount: 1_000, extra: new Array(1_000).fill(0) });
      expect(over.status).toBe(400);
      expect(over.body).toMatchObject({ code: 'VALIDATION_FAILED', message: 'body holds more than 1000 values' });
      const at = await charge({ amount: 1_000, extra: new Array(998).fill(0) });
      expect(at.status).toBe(400);
      expect(at.body.message).toBe('property extra should not exist');
    });

    it('a body nested deeper than 16 levels → 400 naming the limit; 16 levels is only an unknown field', async () => {
      const over = await charge({ amount: 1_000, extra: nested(16) });
      expect(over.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', message: 'body nests deeper than 16 levels' });
      const at = await charge({ amount: 1_000, extra: nested(15) });
      expect(at.body).toMatchObject({ statusCode: 400, message: 'property extra should not exist' });
    });

    it('many unknown fields → one small answer listing the first 20', async () => {
      const body = Object.fromEntries([['amount', 1_000], ...Array.from({ length: 500 }, (_, i) => [`f${i}`, i])]);
      const response = await charge(body);
      expect(response.status).toBe(400);
      expect(response.body.details).toHaveLength(20);
      expect(response.body.details[0]).toBe('property f0 should not exist');
    });

    it('more than 20 query parameters → 400; 20 are read as usual', async () => {
      const params = (n: number) => Array.from({ length: n }, (_, i) => `q${i}=1`).join('&');
      const over = await t.http.get(`/api/v1/products?${params(21)}`);
      expect(over.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', message: 'a request has at most 20 query parameters' });
      const at = await t.http.get(`/api/v1/products?${params(20)}`);
      expect(at.body).toMatchObject({ statusCode: 400, message: expect.stringContaining('q0') });
      await t.http.get('/api/v1/products?size=5&&&').expect(200);
    });

    it.each(['gzip', 'deflate', 'br', 'gzip, identity'])('a body with Content-Encoding %s → 415 after the token check, nothing charged', async (encoding) => {
      const user = await makeUser(t.http);
      const { port } = t.app.getHttpServer().address() as AddressInfo;
      const url = `http://127.0.0.1:${port}/api/v1/users/${user.id}/balance/charge`;
      const body = gzipSync('{"amount":1000}');
      const headers = { 'Content-Type': 'application/json', 'Content-Encoding': encoding };
      expect((await fetch(url, { method: 'POST', headers, body })).status).toBe(401);
      const response = await fetch(url, { method: 'POST', headers: { ...headers, ...(await authHeader(user.id)) }, body });
      expect(response.status).toBe(415);
      expect(await response.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining(encoding) });
      const balance = await t.http.get(`/api/v1/users/${user.id}/balance`).set(await authHeader(user.id)).expect(200);
      expect(balance.body.balance).toBe(0);
    });

    it('Content-Encoding identity is an uncompressed body', async () => {
      const user = await makeUser(t.http);
      await t.http.post(`/api/v1/users/${user.id}/balance/charge`).set(await authHeader(user.id)).set('Content-Encoding', 'identity').send({ amount: 1_000 }).expect(200);
    });

    it('items sent as an object → "items must be an array"', async () => {
      const user = await makeUser(t.http);
      const response = await t.http.post('/api/v1/orders').set(await authHeader(user.id)).send({ userId: user.id, items: { productId: 1, quantity: 1 } });
      expect(response.body).toMatchObject({ statusCode: 400, message: 'items must be an array' });
    });
  });

  describe("requests Node's HTTP parser refuses get the contract body", () => {
    it('a 40 KB header → 431 REQUEST_HEADER_FIELDS_TOO_LARGE', async () => {
      const response = await rawRequest(t, `GET /api/v1/products HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`);
      expect(response.status).toBe(431);
      expect(response.headers).toMatch(/content-type: application\/json/i);
      expect(response.body).toEqual({ statusCode: 431, code: 'REQUEST_HEADER_FIELDS_TOO_LARGE', message: expect.any(String) });
    });

    it.each([
      ['a control character in a header value', 'GET /api/v1/products HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\n\r\n'],
      ['a space in a header name', 'GET /api/v1/products HTTP/1.1\r\nHost: x\r\nX Bad: a\r\n\r\n'],
      ['a garbage request line', 'HELLO\r\n\r\n'],
    ])('%s → 400 BAD_REQUEST', async (_case, raw) => {
      const response = await rawRequest(t, raw);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ statusCode: 400, code: 'BAD_REQUEST', message: expect.any(String) });
    });
  });
});
