import { AddressInfo, connect } from 'node:net';
import { authHeader } from './support/auth';
import { makeProduct, makeUser } from './support/factories';
import { useTestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

interface LogLine {
  level: number;
  time: unknown;
  msg: string;
  context?: string;
  req?: { id: string; method: string; url: string };
  res?: { statusCode: number };
  code?: string;
}

const ISO_8601 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const WARN = 40;

describe('logs and metrics for an operator (e2e)', () => {
  const lines: LogLine[] = [];
  const t = useTestApp({ LOG_LEVEL: 'info' }, { logDestination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  let requestCount = 0;
  const nextRequestId = () => `ops-test-${++requestCount}`;

  const accessLinesOf = (requestId: string) => lines.filter((line) => line.req?.id === requestId && line.res !== undefined);

  /**
   * The access lines of a request, once a later request's line is out: lines are written in
   * order, so a second line for the first request would be there by then.
   */
  async function settledAccessLinesOf(requestId: string): Promise<LogLine[]> {
    await waitFor(`the access line of ${requestId}`, () => accessLinesOf(requestId).length > 0);
    const fence = nextRequestId();
    await t.http.get('/health/live').set('X-Request-Id', fence).expect(200);
    await waitFor(`the access line of ${fence}`, () => accessLinesOf(fence).length > 0);
    return accessLinesOf(requestId);
  }

  /** Refused requests (4xx) counted in http_request_duration_seconds for this method, by status, over every route. */
  async function countedByStatus(method: string): Promise<Record<number, number>> {
    const text = (await t.http.get('/metrics').expect(200)).text;
    const pattern = new RegExp(`^http_request_duration_seconds_count\\{method="${method}",route="[^"]*",status_code="(\\d+)"\\} (\\d+)$`, 'gm');
    const counts: Record<number, number> = {};
    for (const [, status, count] of text.matchAll(pattern)) {
      if (Number(status) >= 400) counts[Number(status)] = (counts[Number(status)] ?? 0) + Number(count);
    }
    return counts;
  }

  it('shows every known retry and delivery counter at 0 from the first scrape', async () => {
    const text = (await t.http.get('/metrics').expect(200)).text;
    for (const operation of ['chargeBalance', 'createUser', 'expireOrders', 'issueCoupon', 'payOrder', 'placeOrder', 'retryOutboxEvent']) {
      for (const reason of ['deadlock', 'lock_wait_timeout']) {
        expect(text).toContain(`db_transaction_retries_total{operation="${operation}",reason="${reason}"} 0`);
      }
    }
    for (const outcome of ['sent', 'rate_limited', 'server_error', 'rejected', 'timeout', 'network_error']) {
      expect(text).toContain(`outbox_delivery_attempts_total{outcome="${outcome}"} 0`);
    }
  });

  it('keeps start-up to a few lines at info: no line per module or route', () => {
    const startUp = lines.filter((line) => line.req === undefined);
    expect(startUp.filter((line) => /Mapped \{|dependencies initialized|Controller \{/.test(line.msg))).toEqual([]);
    expect(startUp.length).toBeLessThanOrEqual(3);
  });

  // Refused before any controller runs (or, for the unknown routes, by no controller at all).
  it.each([
    ['a body that is not JSON', 'POST', '/api/v1/users/1/balance/charge', 'application/json', '{"amount": 1'],
    ['a body over the limit', 'POST', '/api/v1/users/1/balance/charge', 'application/json', JSON.stringify({ amount: 1, padding: 'x'.repeat(100_000) })],
    ['a body that is not declared as JSON', 'POST', '/api/v1/users/1/balance/charge', 'text/plain', 'amount=1'],
    ['an unknown route outside the API', 'GET', '/nope', undefined, undefined],
    ['an unknown route inside the API', 'GET', '/api/v1/nope', undefined, undefined],
  ])('%s: answered with the contract body, logged once with its code, counted once', async (_case, method, path, contentType, body) => {
    const requestId = nextRequestId();
    const before = await countedByStatus(method);
    const request = method === 'POST' ? t.http.post(path) : t.http.get(path);
    request.set('X-Request-Id', requestId).set(await authHeader(1));
    if (contentType !== undefined) request.set('Content-Type', contentType);
    const response = await (body === undefined ? request : request.send(body));

    const logged = await settledAccessLinesOf(requestId);

    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.body).toMatchObject({ statusCode: response.status, code: expect.any(String), requestId });
    expect(logged).toEqual([
      expect.objectContaining({ level: WARN, req: { id: requestId, method, url: path }, res: { statusCode: response.status }, code: response.body.code }),
    ]);
    expect(await countedByStatus(method)).toEqual({ ...before, [response.status]: (before[response.status] ?? 0) + 1 });
  });

  it('counts a refused request exactly once', async () => {
    const ids = [nextRequestId(), nextRequestId()];
    const before = await countedByStatus('POST');
    for (const [i, body] of ['{oops', '[1,'].entries()) {
      await t.http.post('/api/v1/users/1/balance/charge').set(await authHeader(1)).set('X-Request-Id', ids[i]).set('Content-Type', 'application/json').send(body).expect(400);
    }
    for (const id of ids) await settledAccessLinesOf(id);
    expect(await countedByStatus('POST')).toEqual({ ...before, 400: (before[400] ?? 0) + 2 });
  });

  it('labels a method outside the usual ones "other": one series, whatever the parser accepts', async () => {
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    for (const method of ['PROPFIND', 'MKCOL', 'LOCK', 'SUBSCRIBE']) await fetch(`http://127.0.0.1:${port}/api/v1/products`, { method });
    const text = (await t.http.get('/metrics').expect(200)).text;
    expect(text).toMatch(/^http_request_duration_seconds_count\{method="other",route="[^"]+",status_code="404"\} [1-9]\d*$/m);
    expect(text).not.toMatch(/method="(PROPFIND|MKCOL|SUBSCRIBE|LOCK)"/);
  });

  it('tells 409 OUT_OF_STOCK from 409 INSUFFICIENT_BALANCE in the access lines', async () => {
    const user = await makeUser(t.http, { balance: 1_000 });
    const product = await makeProduct(t.http, { price: 5_000, stock: 1 });
    const outOfStock = nextRequestId();
    await t.http
      .post('/api/v1/orders')
      .set(await authHeader(user.id))
      .set('X-Request-Id', outOfStock)
      .send({ userId: user.id, items: [{ productId: product.id, quantity: 2 }] })
      .expect(409);
    const order = (await t.http.post('/api/v1/orders').set(await authHeader(user.id)).send({ userId: user.id, items: [{ productId: product.id, quantity: 1 }] }).expect(201)).body;
    const insufficient = nextRequestId();
    await t.http.post('/api/v1/payments').set(await authHeader(user.id)).set('X-Request-Id', insufficient).send({ orderId: order.orderId, userId: user.id }).expect(409);

    expect((await settledAccessLinesOf(outOfStock)).map((line) => [line.res?.statusCode, line.code])).toEqual([[409, 'OUT_OF_STOCK']]);
    expect((await settledAccessLinesOf(insufficient)).map((line) => [line.res?.statusCode, line.code])).toEqual([[409, 'INSUFFICIENT_BALANCE']]);
  });

  it("binds the request's id, method and URL to a line logged while it is handled", async () => {
    const requestId = nextRequestId();
    const path = '/api/v1/users/1/balance';
    await t.http.get(path).set('X-Request-Id', requestId).set('Authorization', 'Bearer not.a.token').expect(401);

    await settledAccessLinesOf(requestId);
    const refusal = lines.find((line) => line.msg?.startsWith('access token refused') && line.req?.id === requestId);
    expect(refusal).toMatchObject({ level: WARN, context: 'Auth', req: { id: requestId, method: 'GET', url: path } });
  });

  it('logs a /metrics scrape once and counts it once', async () => {
    const scrapes = async () => {
      const text = (await t.http.get('/metrics').expect(200)).text;
      return Number(/^http_request_duration_seconds_count\{method="GET",route="\/metrics",status_code="200"\} (\d+)$/m.exec(text)?.[1]);
    };
    const requestId = nextRequestId();
    await t.http.get('/metrics').set('X-Request-Id', requestId).expect(200);

    expect(await settledAccessLinesOf(requestId)).toEqual([expect.objectContaining({ req: expect.objectContaining({ url: '/metrics' }), res: { statusCode: 200 } })]);
    const counted = await scrapes();
    expect(await scrapes()).toBe(counted + 1);
  });

  it('logs and counts a request whose client went away before the answer (499)', async () => {
    const before = await countedByStatus('POST');
    const requestId = nextRequestId();
    const socket = connect((t.app.getHttpServer().address() as AddressInfo).port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    // Headers announce 100 bytes; 10 arrive, then the client hangs up.
    socket.write(`POST /api/v1/users/1/balance/charge HTTP/1.1\r\nHost: x\r\nX-Request-Id: ${requestId}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"amount":`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();

    const logged = await settledAccessLinesOf(requestId);

    expect(logged).toEqual([expect.objectContaining({ msg: 'request aborted by the client', res: { statusCode: 499 } })]);
    expect(await countedByStatus('POST')).toEqual({ ...before, 499: (before[499] ?? 0) + 1 });
  });

  it('logs and counts a request the HTTP parser refuses (431), which never reaches Express', async () => {
    const before = await countedByStatus('unknown');
    const refusedBefore = lines.filter((line) => line.msg === 'request refused by the HTTP parser').length;

    const answer = await t.http.get('/health/live').set('X-Padding', 'x'.repeat(40_000));

    expect(answer.status).toBe(431);
    await waitFor('the parser refusal line', () => lines.filter((line) => line.msg === 'request refused by the HTTP parser').length > refusedBefore);
    expect(lines.filter((line) => line.msg === 'request refused by the HTTP parser').slice(refusedBefore)).toEqual([
      expect.objectContaining({ level: WARN, res: { statusCode: 431 }, code: 'REQUEST_HEADER_FIELDS_TOO_LARGE' }),
    ]);
    expect(await countedByStatus('unknown')).toEqual({ ...before, 431: (before[431] ?? 0) + 1 });
  });

  it('writes every time as ISO-8601', () => {
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.filter((line) => typeof line.time !== 'string' || !ISO_8601.test(line.time))).toEqual([]);
  });
});
