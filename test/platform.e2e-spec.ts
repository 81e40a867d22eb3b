import { authHeader } from './support/auth';
import { useTestApp } from './support/test-app';

describe('platform: errors, request ids, health, metrics, OpenAPI (e2e)', () => {
  const t = useTestApp();

  it.each(['/nope', '/api/v1/nope', '/api/v1/users/1/balance/nope'])('unknown route %s → 404 NOT_FOUND in the contract body', async (path) => {
    const response = await t.http.get(path).expect(404);
    expect(response.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: expect.any(String), requestId: expect.any(String) });
  });

  it('answers 413 PAYLOAD_TOO_LARGE beyond the body limit', async () => {
    const response = await t.http
      .post('/api/v1/users/1/balance/charge')
      .set(await authHeader(1))
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ amount: 1, padding: 'x'.repeat(200_000) }))
      .expect(413);
    expect(response.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('echoes a client X-Request-Id, or makes one, and puts it in error bodies', async () => {
    const mine = await t.http.get('/api/v1/products/0').set('X-Request-Id', 'client-abc-123').expect(400);
    expect(mine.headers['x-request-id']).toBe('client-abc-123');
    expect(mine.body.requestId).toBe('client-abc-123');

    const made = await t.http.get('/api/v1/products').set('X-Request-Id', 'bad id with spaces').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('error bodies carry only the contract keys', async () => {
    const response = await t.http.post('/api/v1/users/1/balance/charge').set(await authHeader(1)).send({ amount: 'x' }).expect(400);
    for (const key of Object.keys(response.body)) expect(['statusCode', 'code', 'message', 'requestId', 'details']).toContain(key);
    expect(response.body.details).toEqual(expect.arrayContaining([expect.stringContaining('amount')]));
  });

  it('reports liveness and readiness', async () => {
    await t.http.get('/health/live').expect(200, { status: 'ok' });
    const ready = await t.http.get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('exposes Prometheus metrics with request duration histograms by route', async () => {
    await t.http.get('/api/v1/products').expect(200);
    const response = await t.http.get('/metrics').expect(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.text).toMatch(/http_request_duration_seconds_bucket\{[^}]*method="GET",route="\/api\/v1\/products",status_code="200"/);
    expect(response.text).toContain('process_resident_memory_bytes');
  });

  it('serves Swagger UI and an OpenAPI document listing every endpoint', async () => {
    await t.http.get('/docs').expect(200).expect('Content-Type', /html/);
    const document = (await t.http.get('/docs-json').expect(200)).body;
    expect(document.openapi).toMatch(/^3\./);
    const operations = Object.entries(document.paths as Record<string, Record<string, { operationId: string }>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'POST /api/v1/users',
        'POST /api/v1/products',
        'GET /api/v1/products',
        'GET /api/v1/products/{productId}',
        'POST /api/v1/users/{userId}/balance/charge',
        'GET /api/v1/users/{userId}/balance',
        'GET /api/v1/users/{userId}/balance/history',
        'GET /health/live',
        'GET /health/ready',
      ]),
    );
    const charge = document.paths['/api/v1/users/{userId}/balance/charge'].post;
    expect(Object.keys(charge.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '409']));
  });
});
