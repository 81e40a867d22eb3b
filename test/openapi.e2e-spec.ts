import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import jestOpenAPI from 'jest-openapi';
import { DEMO_COUPONS, DEMO_PRODUCTS, DEMO_USERS } from '../src/seed/demo-catalogue';
import { authHeader } from './support/auth';
import { makeCoupon, makeProduct, makeUser } from './support/factories';
import { TestApp, useTestApp } from './support/test-app';

interface Schema {
  allOf?: Schema[];
  type?: string;
  format?: string;
  nullable?: boolean;
  example?: unknown;
  enum?: unknown[];
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
}
interface Media {
  schema?: Schema;
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}
interface Operation {
  operationId: string;
  tags?: string[];
  summary?: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: Schema }>;
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { description: string; content?: Record<string, Media>; headers?: Record<string, unknown> }>;
}
interface Document {
  tags: Array<{ name: string }>;
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; headers?: Record<string, unknown> };
}
interface LintProblem {
  ruleId: string;
  severity: string;
  message: string;
  location: Array<{ pointer: string }>;
}

const JOURNEY_TAGS = ['products', 'balance', 'coupons', 'orders', 'payments', 'cancellations', 'ranking'];

/** The error codes the contract names for each operation, by status (access and idempotency included). */
const CONTRACT_ERRORS: Record<string, Record<number, string[]>> = {
  chargeBalance: { 401: ['UNAUTHENTICATED'], 403: ['FORBIDDEN'], 404: ['USER_NOT_FOUND'], 409: ['BALANCE_LIMIT_EXCEEDED', 'IDEMPOTENCY_KEY_IN_USE'], 422: ['IDEMPOTENCY_KEY_REUSED'], 429: ['RATE_LIMITED'] },
  getBalance: { 401: ['UNAUTHENTICATED'], 403: ['FORBIDDEN'], 404: ['USER_NOT_FOUND'], 429: ['RATE_LIMITED'] },
  getBalanceHistory: { 401: ['UNAUTHENTICATED'], 403: ['FORBIDDEN'], 404: ['USER_NOT_FOUND'], 429: ['RATE_LIMITED'] },
  listProducts: { 400: ['VALIDATION_FAILED'] },
  getProduct: { 404: ['PRODUCT_NOT_FOUND'] },
  getTopProducts: { 400: ['VALIDATION_FAILED'] },
  getCoupon: { 404: ['COUPON_NOT_FOUND'] },
  issueCoupon: { 401: ['UNAUTHENTICATED'], 403: ['FORBIDDEN'], 404: ['COUPON_NOT_FOUND', 'USER_NOT_FOUND'], 409: ['COUPON_SOLD_OUT', 'COUPON_ALREADY_ISSUED'], 429: ['RATE_LIMITED'] },
  listUserCoupons: { 401: ['UNAUTHENTICATED'], 403: ['FORBIDDEN'], 404: ['USER_NOT_FOUND'], 429: ['RATE_LIMITED'] },
  placeOrder: {
    400: ['VALIDATION_FAILED'],
    401: ['UNAUTHENTICATED'],
    403: ['FORBIDDEN'],
    404: ['USER_NOT_FOUND', 'PRODUCT_NOT_FOUND'],
    409: ['OUT_OF_STOCK', 'COUPON_NOT_USABLE', 'TOO_MANY_PENDING_ORDERS', 'IDEMPOTENCY_KEY_IN_USE'],
    413: ['PAYLOAD_TOO_LARGE'],
    415: ['UNSUPPORTED_MEDIA_TYPE'],
    422: ['IDEMPOTENCY_KEY_REUSED'],
    429: ['RATE_LIMITED'],
    500: ['INTERNAL_ERROR'],
    503: ['SERVICE_UNAVAILABLE'],
  },
  getOrder: { 401: ['UNAUTHENTICATED'], 404: ['ORDER_NOT_FOUND'], 429: ['RATE_LIMITED'] },
  payOrder: {
    401: ['UNAUTHENTICATED'],
    403: ['FORBIDDEN'],
    404: ['ORDER_NOT_FOUND'],
    409: ['ORDER_NOT_PAYABLE', 'INSUFFICIENT_BALANCE', 'COUPON_NOT_USABLE', 'IDEMPOTENCY_KEY_IN_USE'],
    422: ['IDEMPOTENCY_KEY_REUSED'],
    429: ['RATE_LIMITED'],
  },
  listUserOrders: { 400: ['VALIDATION_FAILED'], 401: ['UNAUTHENTICATED'], 403: ['FORBIDDEN'], 404: ['USER_NOT_FOUND'], 429: ['RATE_LIMITED'] },
  cancelOrder: {
    400: ['VALIDATION_FAILED'],
    401: ['UNAUTHENTICATED'],
    403: ['FORBIDDEN'],
    404: ['ORDER_NOT_FOUND'],
    409: ['ORDER_NOT_CANCELABLE', 'IDEMPOTENCY_KEY_IN_USE'],
    415: ['UNSUPPORTED_MEDIA_TYPE'],
    422: ['IDEMPOTENCY_KEY_REUSED'],
    429: ['RATE_LIMITED'],
  },
  restockProduct: { 400: ['VALIDATION_FAILED'], 401: ['UNAUTHORIZED'], 404: ['PRODUCT_NOT_FOUND'], 409: ['STOCK_LIMIT_EXCEEDED'] },
  createUser: { 401: ['UNAUTHORIZED'] },
  createProduct: { 401: ['UNAUTHORIZED'] },
  createCoupon: { 401: ['UNAUTHORIZED'] },
  listOutboxEvents: { 401: ['UNAUTHORIZED'] },
  retryOutboxEvent: { 401: ['UNAUTHORIZED'], 404: ['OUTBOX_EVENT_NOT_FOUND'], 409: ['OUTBOX_EVENT_NOT_DEAD'] },
  getReadiness: { 503: ['SERVICE_UNAVAILABLE'] },
};

/** The OpenAPI document as clients and Swagger UI get it: lint-clean, honest about errors, and its examples work. */
describe('the OpenAPI document (e2e)', () => {
  const t = useTestApp();
  let document: Document;
  let operations: Array<{ method: string; path: string; operation: Operation }>;

  beforeAll(async () => {
    document = (await t.http.get('/docs-json').expect(200)).body;
    jestOpenAPI(document as never);
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ method, path, operation })),
    );
  });


  it('passes redocly lint with the recommended rules: no errors, no warnings', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'openapi-'));
    try {
      const file = join(folder, 'openapi.json');
      await writeFile(file, JSON.stringify(document));
      const { totals, problems } = await redoclyLint(file);
      const listed = problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
      expect({ ...totals, problems: listed }).toEqual({ errors: 0, warnings: 0, ignored: 0, problems: [] });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('declares X-Request-Id on every answer, Retry-After on 429 and WWW-Authenticate on a bearer operation’s 401', () => {
    const ref = (name: string) => ({ $ref: `#/components/headers/${name}` });
    for (const { operation } of operations) {
      const bearer = operation.security?.some((requirement) => 'bearer' in requirement) ?? false;
      for (const [status, response] of Object.entries(operation.responses)) {
        expect({ operation: operation.operationId, status, headers: response.headers }).toEqual({
          operation: operation.operationId,
          status,
          headers: {
            'X-Request-Id': ref('X-Request-Id'),
            ...(status === '429' ? { 'Retry-After': ref('Retry-After') } : {}),
            ...(status === '401' && bearer ? { 'WWW-Authenticate': ref('WWW-Authenticate') } : {}),
          },
        });
      }
    }
    expect(Object.keys(document.components.headers ?? {}).sort()).toEqual(['Retry-After', 'WWW-Authenticate', 'X-Request-Id']);
  });

  it('gives every documented error response examples with its own status and a code', () => {
    let checked = 0;
    for (const { operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses).filter(([status]) => Number(status) >= 400)) {
        const media = response.content?.['application/json'];
        const examples = Object.entries(media?.examples ?? {});
        // The error body, its code narrowed to an enum of exactly the codes the examples show.
        expect({ operation: operation.operationId, status, schema: media?.schema }).toEqual({
          operation: operation.operationId,
          status,
          schema: {
            allOf: [
              { $ref: '#/components/schemas/ErrorResponseDto' },
              { type: 'object', required: ['code'], properties: { code: { type: 'string', enum: examples.map(([name]) => name) } } },
            ],
          },
        });
        expect(examples.length).toBeGreaterThan(0);
        for (const [name, { value }] of examples) {
          expect({ operation: operation.operationId, name, value }).toEqual({
            operation: operation.operationId,
            name,
            value: { statusCode: Number(status), code: name, message: expect.stringMatching(/\S/), ...(name === 'VALIDATION_FAILED' ? { details: expect.any(Array) } : {}) },
          });
          expect(name).toMatch(/^[A-Z][A-Z_]+$/);
          checked += 1;
        }
        expect(response.description).toBe(examples.map(([name]) => name).join(', '));
      }
    }
    expect(checked).toBeGreaterThan(100);
    // One schema for every error: no example of its own that would show one code under every status.
    const errorSchema = document.components.schemas.ErrorResponseDto;
    expect(Object.values(errorSchema.properties!).filter((property) => 'example' in property)).toEqual([]);
  });

  it.each(Object.entries(CONTRACT_ERRORS))('documents the codes the contract names for %s', (operationId, errors) => {
    const { operation } = operations.find((o) => o.operation.operationId === operationId)!;
    for (const [status, codes] of Object.entries(errors)) {
      const documented = Object.keys(operation.responses[status]?.content?.['application/json']?.examples ?? {});
      expect({ status, codes: documented }).toEqual({ status, codes: expect.arrayContaining(codes) });
    }
  });

  it('answers every operation, HTTP parser refusals included, with at least one 4xx; 400 and 431 everywhere', () => {
    for (const { operation } of operations) {
      expect({ id: operation.operationId, statuses: Object.keys(operation.responses) }).toEqual({
        id: operation.operationId,
        statuses: expect.arrayContaining(['400', '431']),
      });
      expect(Object.keys(operation.responses[400].content!['application/json'].examples!)).toEqual(expect.arrayContaining(['VALIDATION_FAILED', 'BAD_REQUEST']));
    }
  });

  it('declares the tags in the order of a journey, admin then health last, one tag per operation', () => {
    expect(document.tags.map((tag) => tag.name)).toEqual([...JOURNEY_TAGS, 'admin', 'health']);
    for (const { method, path, operation } of operations) {
      expect({ method, path, tags: operation.tags }).toEqual({ method, path, tags: [expect.any(String)] });
      expect(document.tags.map((tag) => tag.name)).toContain(operation.tags![0]);
      const isAdmin = operation.security?.some((requirement) => 'admin-key' in requirement);
      expect({ path, admin: isAdmin }).toEqual({ path, admin: operation.tags![0] === 'admin' });
      expect(operation.summary).toMatch(/\S/);
      const success = Object.entries(operation.responses).find(([status]) => status.startsWith('2'));
      expect({ path, method, description: success?.[1].description }).toEqual({ path, method, description: expect.stringMatching(/\S/) });
    }
    expect(document.paths['/api/v1/products/top'].get.tags).toEqual(['ranking']);
    expect(document.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });

  it('documents security as the service enforces it: without credentials, public operations answer, the others 401', async () => {
    for (const { method, path, operation } of operations) {
      expect({ path, security: operation.security }).toEqual({ path, security: expect.any(Array) });
      let call = t.http[method as 'get' | 'post'](path.replace(/\{[^}]+\}/g, '1'));
      if (method === 'post') call = call.send({});
      const response = await call;
      const isPublic = operation.security!.length === 0;
      expect({ method, path, isPublic, unauthorized: response.status === 401 }).toEqual({ method, path, isPublic, unauthorized: !isPublic });
    }
  });

  it('marks every field that is always present as required, null or not, with integer ids and money and date-time timestamps', () => {
    const schemas = document.components.schemas;
    const field = (schema: string, name: string) => ({ ...schemas[schema].properties![name], required: schemas[schema].required!.includes(name) });
    expect(field('OrderResponse', 'couponId')).toMatchObject({ type: 'integer', nullable: true, required: true });
    for (const time of ['paidAt', 'canceledAt', 'refundedAt']) {
      expect(field('OrderResponse', time)).toMatchObject({ type: 'string', format: 'date-time', nullable: true, required: true });
    }
    expect(field('OrderListResponse', 'nextCursor')).toMatchObject({ type: 'string', nullable: true, required: true });
    expect(field('BalanceHistoryItem', 'orderId')).toMatchObject({ type: 'integer', nullable: true, required: true });
    expect(field('BalanceHistoryResponse', 'nextCursor')).toMatchObject({ type: 'string', nullable: true, required: true });
    expect(field('ProductPageResponse', 'nextCursor')).toMatchObject({ type: 'string', nullable: true, required: true });
    expect(field('ProductPageResponse', 'page')).toMatchObject({ type: 'integer', nullable: true, required: true });
    expect(field('OwnedCouponResponse', 'usedAt')).toMatchObject({ type: 'string', format: 'date-time', nullable: true, required: true });
    expect(field('OutboxEventPageResponse', 'nextCursor')).toMatchObject({ nullable: true, required: true });
    for (const [name, schema] of Object.entries(schemas).filter(([name]) => name.endsWith('Response') || name.endsWith('Item'))) {
      for (const [property, definition] of Object.entries(schema.properties ?? {})) {
        // Response bodies: every property is always present, so every one is required.
        if (name !== 'ErrorResponseDto') expect({ name, property, required: schema.required?.includes(property) }).toEqual({ name, property, required: true });
        expect({ name, property, type: definition.type }).not.toEqual({ name, property, type: 'number' });
        if (/At$/.test(property)) expect({ name, property, format: definition.format }).toEqual({ name, property, format: 'date-time' });
      }
    }
  });

  it('has request examples that work as-is on the demo data, in the order of a journey', async () => {
    await loadDemoData(t);
    const token = await authHeader(1);
    const journey = operations
      .filter(({ operation }) => JOURNEY_TAGS.includes(operation.tags![0]))
      .sort((a, b) => JOURNEY_TAGS.indexOf(a.operation.tags![0]) - JOURNEY_TAGS.indexOf(b.operation.tags![0]));
    const tried: string[] = [];
    for (const { method, path, operation } of journey) {
      const url = path.replace(/\{([^}]+)\}/g, (_match, name: string) => String(exampleOfParameter(operation, name)));
      for (const body of requestBodies(operation, document)) {
        let call = t.http[method as 'get' | 'post'](url);
        if (operation.security!.length > 0) call = call.set(token);
        const response = await (body === undefined ? call : call.send(body as object));
        if (response.status >= 300) {
          throw new Error(`${operation.operationId} ${JSON.stringify(body) ?? ''} answered ${response.status} ${JSON.stringify(response.body)}`);
        }
        expect(response).toSatisfyApiSpec();
        tried.push(operation.operationId);
      }
    }
    expect(tried).toEqual([
      'listProducts',
      'getProduct',
      'chargeBalance',
      'getBalance',
      'getBalanceHistory',
      'getCoupon',
      'issueCoupon',
      'listUserCoupons',
      'placeOrder',
      'placeOrder',
      'getOrder',
      'listUserOrders',
      'payOrder',
      'cancelOrder',
      'getTopProducts',
    ]);
  });
});

async function redoclyLint(file: string): Promise<{ totals: { errors: number; warnings: number; ignored: number }; problems: LintProblem[] }> {
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
  const args = ['node_modules/@redocly/cli/bin/cli.js', 'lint', '--extends', 'recommended', file, '--format', 'json'];
  // The CLI exits 1 when it finds errors; its JSON report is on stdout either way.
  const stdout = await promisify(execFile)(process.execPath, args, { env, maxBuffer: 16 * 1024 * 1024 }).then(
    (result) => result.stdout,
    (error: { stdout?: string }) => error.stdout ?? '',
  );
  return JSON.parse(stdout);
}

/** The demo catalogue of src/seed, loaded through the API the way `npm run seed` loads it. */
async function loadDemoData(t: TestApp): Promise<void> {
  for (const product of DEMO_PRODUCTS) await makeProduct(t.http, product);
  for (const user of DEMO_USERS) await makeUser(t.http, user);
  for (const coupon of DEMO_COUPONS) await makeCoupon(t.http, { ...coupon, discountType: coupon.discountType === 'FIXED' ? 'FIXED' : 'PERCENT' });
}

/** What Swagger UI puts in a path parameter's field. */
function exampleOfParameter(operation: Operation, name: string): unknown {
  const parameter = operation.parameters!.find((p) => p.in === 'path' && p.name === name)!;
  if (parameter.schema?.example === undefined) throw new Error(`${operation.operationId}: no example for path parameter ${name}`);
  return parameter.schema.example;
}

/** The bodies Swagger UI offers for an operation: each named example, or one built from the properties' examples. */
function requestBodies(operation: Operation, document: Document): unknown[] {
  const media = operation.requestBody?.content['application/json'];
  if (!media) return [undefined];
  if (media.examples) return Object.values(media.examples).map((example) => example.value);
  return [sampleOf(media.schema!, document, operation.operationId)];
}

function sampleOf(schema: Schema, document: Document, where: string): unknown {
  if (schema.$ref) return sampleOf(document.components.schemas[schema.$ref.split('/').pop()!], document, where);
  if (schema.example !== undefined) return schema.example;
  if (schema.enum) return schema.enum[0];
  if (schema.type === 'array') return [sampleOf(schema.items!, document, where)];
  if (schema.properties) return Object.fromEntries(Object.entries(schema.properties).map(([name, property]) => [name, sampleOf(property, document, `${where}.${name}`)]));
  throw new Error(`${where}: no example, Swagger UI would fill in a placeholder`);
}
