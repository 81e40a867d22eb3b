import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import jestOpenAPI from 'jest-openapi';
import type { Response } from 'supertest';
import { makeProduct, makeUser } from './support/factories';
import {
  Components,
  hostileValue,
  INHERITED_NAMES,
  isValidName,
  mutatedObject,
  OpenApiSchema,
  unicodePieces,
  unicodeText,
  validObject,
} from './support/openapi-arbitraries';
import { authHeader, bearerSync, tokenFor } from './support/auth';
import { ADMIN_KEY, startTestApp, TestApp } from './support/test-app';

interface Operation {
  method: string;
  path: string;
  parameters: Array<{ name: string; in: 'path' | 'query' | 'header'; schema?: OpenApiSchema }>;
  bodySchema?: OpenApiSchema;
}

const ERROR_KEYS = ['statusCode', 'code', 'message', 'requestId', 'details'];
const RUNS_PER_OPERATION = 40;
const RUNS_PER_FAMILY = 30;
const NON_JSON_CONTENT_TYPES = [
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'text/xml',
  'application/octet-stream',
  'application/json-patch+json',
  'application/jsonx',
  'text/json',
  'text/html',
];

/**
 * Property-based: for every operation in the served OpenAPI document, valid and hostile bodies,
 * path ids, query values and headers never produce a 5xx, every 4xx has the contract's error body,
 * and every response matches the documented schema for its status.
 */
describe('every documented operation under generated input (e2e)', () => {
  let t: TestApp;
  let operations: Operation[];
  let components: Components;
  let knownIds: number[];
  let authorizations: Array<string | undefined>;
  // What the run did, for the report: requests sent and 5xx answers, by input family.
  const counts = new Map<string, { requests: number; serverErrors: number }>();
  const count = (family: string, status: number) => {
    const entry = counts.get(family) ?? { requests: 0, serverErrors: 0 };
    entry.requests += 1;
    if (status >= 500) entry.serverErrors += 1;
    counts.set(family, entry);
  };

  beforeAll(async () => {
    t = await startTestApp();
    const document = (await t.http.get('/docs-json').expect(200)).body;
    jestOpenAPI(document);
    components = document.components?.schemas ?? {};
    operations = Object.entries(document.paths as Record<string, Record<string, Record<string, unknown>>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method,
        path,
        parameters: (op.parameters as Operation['parameters']) ?? [],
        bodySchema: (op.requestBody as { content?: Record<string, { schema: OpenApiSchema }> } | undefined)?.content?.['application/json']?.schema,
      })),
    );
    const user = await makeUser(t.http, { balance: 100_000 });
    const product = await makeProduct(t.http, { stock: 1_000 });
    knownIds = [user.id, product.id];
    // Mostly the known user's token; also another user's, a broken one and none.
    const own = `Bearer ${await tokenFor(user.id)}`;
    authorizations = [own, own, own, `Bearer ${await tokenFor(user.id + 1)}`, 'Bearer not-a-token', undefined];
  });

  afterAll(async () => {
    const total = [...counts.values()].reduce((sum, c) => ({ requests: sum.requests + c.requests, serverErrors: sum.serverErrors + c.serverErrors }), {
      requests: 0,
      serverErrors: 0,
    });
    console.info(
      `fuzz: ${total.requests} requests, ${counts.size} families, ${total.serverErrors} 5xx\n` +
        [...counts].map(([family, c]) => `  ${family}: ${c.requests} requests, ${c.serverErrors} 5xx`).join('\n'),
    );
    await t.close();
  });

  it('the document lists the API', () => {
    expect(operations.length).toBeGreaterThanOrEqual(10);
  });

  const idValue = () =>
    fc.oneof(
      fc.constantFrom(...knownIds.map(String)),
      fc.nat({ max: 1_000 }).map(String),
      fc.constantFrom('0', '-1', '1.5', '1e3', '9007199254740993', '99999999999999999999', 'abc', "1' OR '1'='1", '%F0%9F%9B%92', '%00'),
    );
  const queryValue = () => fc.oneof(fc.nat({ max: 200 }).map(String), fc.constantFrom('', '-1', '0', '1.5', '1e2', 'x', '101', "'; --"));
  const idempotencyKey = () =>
    fc.oneof(fc.constant(undefined), fc.uuid(), fc.constantFrom('', ' ', 'k'.repeat(256), 'caf\u00e9', 'tab\tinside'));

  function requestFor(op: Operation) {
    const pathParams = op.parameters.filter((p) => p.in === 'path');
    const queryParams = op.parameters.filter((p) => p.in === 'query');
    const body: fc.Arbitrary<unknown> = op.bodySchema
      ? fc.oneof(
          { weight: 3, arbitrary: validObject(op.bodySchema, components) },
          { weight: 4, arbitrary: mutatedObject(op.bodySchema, components) },
          { weight: 1, arbitrary: hostileValue },
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
        )
      : fc.constant(undefined);
    return fc.record({
      path: fc.tuple(...pathParams.map(() => idValue())).map((values) =>
        pathParams.reduce((path, p, i) => path.replace(`{${p.name}}`, values[i]), op.path),
      ),
      query: fc.record(Object.fromEntries(queryParams.map((p) => [p.name, queryValue()])), { requiredKeys: [] }),
      extraQuery: fc.option(fc.constantFrom('unknown=1', 'limit=1&limit=2'), { nil: undefined }),
      body,
      adminKey: fc.constantFrom(ADMIN_KEY, ADMIN_KEY, 'wrong-key', undefined),
      idempotencyKey: idempotencyKey(),
      authorization: fc.constantFrom(...authorizations),
    });
  }

  function checkResponse(response: Response): void {
    expect(response.status).toBeLessThan(500);
    if (response.status >= 400) {
      expect(Object.keys(response.body).every((key) => ERROR_KEYS.includes(key))).toBe(true);
      expect(response.body.statusCode).toBe(response.status);
      expect(response.body.code).toMatch(/^[A-Z_]+$/);
      expect(typeof response.body.message).toBe('string');
      expect(JSON.stringify(response.body)).not.toMatch(/SELECT|INSERT|UPDATE |QueryFailedError|at .*\.(js|ts):\d+/);
    }
    if (response.status !== 404 || response.body.code !== 'NOT_FOUND') expect(response).toSatisfyApiSpec();
  }

  it('no 5xx, contract error bodies, responses as documented', async () => {
    for (const op of operations) {
      await fc.assert(
        fc.asyncProperty(requestFor(op), async (input) => {
          const query = new URLSearchParams(input.query as Record<string, string>).toString();
          const url = [input.path, [query, input.extraQuery].filter(Boolean).join('&')].filter(Boolean).join('?');
          let call = t.http[op.method as 'get' | 'post'](url);
          if (input.adminKey) call = call.set('X-Admin-Key', input.adminKey);
          if (input.authorization) call = call.set('Authorization', input.authorization);
          if (input.idempotencyKey !== undefined) call = call.set('Idempotency-Key', input.idempotencyKey);
          if (input.body !== undefined) call = call.set('Content-Type', 'application/json').send(JSON.stringify(input.body));
          const response = await call;
          count('documented operations', response.status);
          checkResponse(response);
        }),
        { numRuns: RUNS_PER_OPERATION },
      );
    }
  });

  const NAMED_CREATES = [
    { path: '/api/v1/users', table: 'users', body: (name: string) => ({ name }) },
    { path: '/api/v1/products', table: 'products', body: (name: string) => ({ name, price: 1_000, stock: 1 }) },
    {
      path: '/api/v1/coupons',
      table: 'coupons',
      body: (name: string) => ({ name, discountType: 'FIXED', discountValue: 100, totalQuantity: 1, validDays: 1 }),
    },
  ];

  it.each(Object.keys(unicodePieces))('names made of %s: 201 and stored exactly when 1-100 code points without controls, else 400', async (family) => {
    await fc.assert(
      fc.asyncProperty(unicodeText(family), fc.constantFrom(...NAMED_CREATES), async (name, create) => {
        const response = await t.http.post(create.path).set('X-Admin-Key', ADMIN_KEY).send(create.body(name));
        count(`names: ${family}`, response.status);
        checkResponse(response);
        if (isValidName(name)) {
          expect(response.status).toBe(201);
          expect(response.body.name).toBe(name);
          const [row] = await t.query<{ name: string }>(`SELECT name FROM ${create.table} WHERE id = ?`, [response.body.id]);
          expect(row.name).toBe(name);
        } else {
          expect(response.status).toBe(400);
          expect(response.body.code).toBe('VALIDATION_FAILED');
        }
      }),
      { numRuns: RUNS_PER_FAMILY },
    );
  });

  it('inherited property names in any body or query string: 4xx naming the field, never accepted', async () => {
    const withBody = operations.filter((op) => op.bodySchema);
    const withQuery = operations.filter((op) => op.method === 'get' && op.path.startsWith('/api/v1/') && !op.path.includes('{'));
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.constantFrom(...INHERITED_NAMES), fc.boolean(), async (pick, field, inQuery) => {
        let response: Response;
        if (inQuery) {
          const op = withQuery[pick % withQuery.length];
          response = await t.http.get(`${op.path}?${encodeURIComponent(field)}=1`).set('X-Admin-Key', ADMIN_KEY);
        } else {
          const op = withBody[pick % withBody.length];
          const body = fc.sample(validObject(op.bodySchema!, components), { numRuns: 1, seed: pick })[0];
          // Raw JSON: an object literal would treat __proto__ as the prototype, not a field.
          const raw = JSON.stringify(body).replace(/^\{/, `{"${field}":{"x":1},`).replace(/,}$/, '}');
          response = await t.http[op.method as 'post'](op.path.replace(/\{[^}]+\}/g, String(knownIds[0])))
            .set('X-Admin-Key', ADMIN_KEY)
            .set('Content-Type', 'application/json')
            .send(raw);
        }
        count('inherited property names', response.status);
        checkResponse(response);
        expect(response.status).toBeGreaterThanOrEqual(400);
        if (response.status === 400) expect(response.body.message).toContain(field);
      }),
      { numRuns: RUNS_PER_FAMILY * 2 },
    );
  });

  it('bodies sent with another Content-Type, or none: 415 UNSUPPORTED_MEDIA_TYPE, never handled', async () => {
    const withBody = operations.filter((op) => op.bodySchema);
    const { port } = t.app.getHttpServer().address() as { port: number };
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.option(fc.constantFrom(...NON_JSON_CONTENT_TYPES), { nil: undefined }), async (pick, contentType) => {
        const op = withBody[pick % withBody.length];
        const body = fc.sample(validObject(op.bodySchema!, components), { numRuns: 1, seed: pick })[0];
        const headers: Record<string, string> = { 'X-Admin-Key': ADMIN_KEY };
        if (contentType) headers['Content-Type'] = contentType;
        // fetch, not supertest, so that "no Content-Type" really sends none.
        const url = `http://127.0.0.1:${port}${op.path.replace(/\{[^}]+\}/g, String(knownIds[0]))}`;
        const answer = await fetch(url, { method: op.method.toUpperCase(), headers, body: Buffer.from(JSON.stringify(body)) });
        const responseBody = await answer.json();
        count('content types', answer.status);
        expect(answer.status).toBeLessThan(500);
        // 401 before 415 on user-scoped routes once access tokens are required.
        expect([401, 415]).toContain(answer.status);
        expect(responseBody).toMatchObject({ statusCode: answer.status, code: expect.any(String) });
      }),
      { numRuns: RUNS_PER_FAMILY * 2 },
    );
  });

  it('bodies and requests past the limits (compressed, wide, many keys, many query parameters, large tokens): 4xx, small contract bodies', async () => {
    const withBody = operations.filter((op) => op.bodySchema);
    const withQuery = operations.filter((op) => op.method === 'get' && op.path.startsWith('/api/v1/'));
    const { port } = t.app.getHttpServer().address() as { port: number };
    const [userId] = knownIds;
    const largeToken = bearerSync(userId, { groups: 'g'.repeat(10_000) }).Authorization;
    const shapes = ['gzip', 'deflate', 'br', 'wide array', 'many keys', 'deep', 'many query parameters', 'large token'] as const;
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.constantFrom(...shapes), fc.integer({ min: 21, max: 3_000 }), async (pick, shape, size) => {
        const op = shape === 'many query parameters' ? withQuery[pick % withQuery.length] : withBody[pick % withBody.length];
        const body: Record<string, unknown> = op.bodySchema ? { ...fc.sample(validObject(op.bodySchema, components), { numRuns: 1, seed: pick })[0] } : {};
        const headers: Record<string, string> = { 'X-Admin-Key': ADMIN_KEY, 'Content-Type': 'application/json', Authorization: authorizations[pick % 3]! };
        let query = '';
        if (shape === 'wide array') body.extra = new Array(1_000 + size).fill(pick);
        if (shape === 'many keys') for (let i = 0; i < size; i++) body[`k${i}`] = i;
        if (shape === 'deep') body.extra = JSON.parse(`${'{"a":'.repeat(17 + (size % 50))}1${'}'.repeat(17 + (size % 50))}`);
        if (shape === 'many query parameters') query = `?${Array.from({ length: size }, (_, i) => `p${i}=${i}`).join('&')}`;
        if (shape === 'large token') headers.Authorization = largeToken;
        let raw: Buffer = Buffer.from(JSON.stringify(body));
        if (shape === 'gzip' || shape === 'deflate' || shape === 'br') {
          raw = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync }[shape](raw);
          headers['Content-Encoding'] = shape;
        }
        const url = `http://127.0.0.1:${port}${op.path.replace(/\{[^}]+\}/g, String(userId))}${query}`;
        const answer = await fetch(url, { method: op.method.toUpperCase(), headers, body: op.method === 'get' ? undefined : raw });
        const text = await answer.text();
        count(`limits: ${shape}`, answer.status);
        expect(answer.status).toBeLessThan(500);
        expect(text.length).toBeLessThan(4_096);
        if (shape === 'large token') return;
        expect(answer.status).toBeGreaterThanOrEqual(400);
        const error = JSON.parse(text) as Record<string, unknown>;
        expect(Object.keys(error).every((key) => ERROR_KEYS.includes(key))).toBe(true);
        expect((error.details as unknown[] | undefined)?.length ?? 0).toBeLessThanOrEqual(20);
      }),
      { numRuns: RUNS_PER_FAMILY * 4 },
    );
  });

  it.each([
    ['an oversized body', JSON.stringify({ amount: 1, pad: 'x'.repeat(1_000_000) })],
    ['a body 20,000 levels deep', `${'['.repeat(20_000)}1${']'.repeat(20_000)}`],
    ['a body that is not JSON', '{"amount": 1,'],
    ['a JSON string', '"hello"'],
    ['a JSON array', '[1, 2, 3]'],
  ])('%s gets a 4xx with the contract body', async (_case, raw) => {
    const [userId] = knownIds;
    const response = await t.http.post(`/api/v1/users/${userId}/balance/charge`).set(await authHeader(userId)).set('Content-Type', 'application/json').send(raw);
    expect(response.status).toBeGreaterThanOrEqual(400);
    checkResponse(response);
  });
});

