import fc from 'fast-check';
import jestOpenAPI from 'jest-openapi';
import type { Response } from 'supertest';
import { makeProduct, makeUser } from './support/factories';
import { Components, hostileValue, mutatedObject, OpenApiSchema, validObject } from './support/openapi-arbitraries';
import { authHeader, tokenFor } from './support/auth';
import { ADMIN_KEY, startTestApp, TestApp } from './support/test-app';

interface Operation {
  method: string;
  path: string;
  parameters: Array<{ name: string; in: 'path' | 'query' | 'header'; schema?: OpenApiSchema }>;
  bodySchema?: OpenApiSchema;
}

const ERROR_KEYS = ['statusCode', 'code', 'message', 'requestId', 'details'];
const RUNS_PER_OPERATION = 40;

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
          checkResponse(await call);
        }),
        { numRuns: RUNS_PER_OPERATION },
      );
    }
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

