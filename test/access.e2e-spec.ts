import { SignJWT } from 'jose';
import { authHeader, bearerSync, TEST_AUTH_ENV } from './support/auth';
import { makeCoupon, makeProduct, makeUser, UserFixture } from './support/factories';
import { ADMIN_KEY, startTestApp, TestApp, useTestApp } from './support/test-app';

const ORIGIN = 'https://shop.example';

/** Every user-scoped operation, as `bob` would call it for himself. */
interface Operation {
  name: string;
  method: 'get' | 'post';
  path: string;
  body?: object;
}

describe('authentication and access (e2e)', () => {
  let t: TestApp;
  let alice: UserFixture;
  let bob: UserFixture;
  let productId: number;
  let couponId: number;
  let bobsOrderId: number;
  let operations: Operation[];

  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: `${ORIGIN},http://localhost:5173`, MAX_PENDING_ORDERS_PER_USER: '3' });
    alice = await makeUser(t.http, { balance: 100_000 });
    bob = await makeUser(t.http, { balance: 100_000 });
    productId = (await makeProduct(t.http, { price: 1_000, stock: 100 })).id;
    couponId = (await makeCoupon(t.http, { totalQuantity: 10 })).id;
    const order = await t.http.post('/api/v1/orders').set(await authHeader(bob.id)).send({ userId: bob.id, items: [{ productId, quantity: 1 }] }).expect(201);
    bobsOrderId = order.body.orderId;
    operations = [
      { name: 'chargeBalance', method: 'post', path: `/api/v1/users/${bob.id}/balance/charge`, body: { amount: 1_000 } },
      { name: 'getBalance', method: 'get', path: `/api/v1/users/${bob.id}/balance` },
      { name: 'getBalanceHistory', method: 'get', path: `/api/v1/users/${bob.id}/balance/history` },
      { name: 'listUserCoupons', method: 'get', path: `/api/v1/users/${bob.id}/coupons` },
      { name: 'issueCoupon', method: 'post', path: `/api/v1/coupons/${couponId}/issue`, body: { userId: bob.id } },
      { name: 'placeOrder', method: 'post', path: '/api/v1/orders', body: { userId: bob.id, items: [{ productId, quantity: 1 }] } },
      { name: 'getOrder', method: 'get', path: `/api/v1/orders/${bobsOrderId}` },
      { name: 'payOrder', method: 'post', path: '/api/v1/payments', body: { orderId: bobsOrderId, userId: bob.id } },
      { name: 'listUserOrders', method: 'get', path: `/api/v1/users/${bob.id}/orders` },
      { name: 'cancelOrder', method: 'post', path: `/api/v1/orders/${bobsOrderId}/cancel`, body: { userId: bob.id } },
    ];
  });

  afterAll(async () => {
    await t.close();
  });

  const call = (op: Operation, headers: Record<string, string> = {}) => {
    const request = t.http[op.method](op.path).set(headers);
    return op.body ? request.send(op.body) : request;
  };

  /** What the operations could change, to check that a refused request changed nothing. */
  const state = async () => ({
    balances: await t.query('SELECT user_id, balance FROM user_balances ORDER BY user_id'),
    history: await t.query('SELECT COUNT(*) AS n FROM balance_history'),
    coupons: await t.query('SELECT id, status FROM user_coupons ORDER BY id'),
    issued: await t.query('SELECT issued_quantity FROM coupons'),
    orders: await t.query('SELECT id, status FROM orders ORDER BY id'),
    stock: await t.query('SELECT id, stock FROM products ORDER BY id'),
  });

  const signed = (claims: Record<string, unknown>, header: { alg: string } = { alg: 'HS256' }, secret: string = TEST_AUTH_ENV.AUTH_JWT_SECRET) =>
    new SignJWT(claims).setProtectedHeader(header).sign(new TextEncoder().encode(secret));
  const now = () => Math.floor(Date.now() / 1000);

  describe('401 UNAUTHENTICATED on every user-scoped operation, nothing changed', () => {
    it.each([
      ['no Authorization header', async () => ({}), 'Bearer'],
      ['another scheme', async () => ({ Authorization: 'Basic Ym9iOnB3' }), 'Bearer'],
      ['a malformed header', async () => ({ Authorization: 'Bearer' }), 'Bearer error="invalid_token"'],
      ['a malformed token', async () => ({ Authorization: 'Bearer not.a.jwt' }), 'Bearer error="invalid_token"'],
      ['a bad signature', async () => ({ Authorization: `Bearer ${await signed({ sub: '1', iss: TEST_AUTH_ENV.AUTH_ISSUER, aud: TEST_AUTH_ENV.AUTH_AUDIENCE, exp: now() + 60 }, { alg: 'HS256' }, 'x'.repeat(40))}` }), 'Bearer error="invalid_token"'],
      ['an expired token', async () => ({ Authorization: `Bearer ${await signed({ sub: '1', iss: TEST_AUTH_ENV.AUTH_ISSUER, aud: TEST_AUTH_ENV.AUTH_AUDIENCE, exp: now() - 60 })}` }), 'Bearer error="invalid_token"'],
      ['a wrong issuer', async () => ({ Authorization: `Bearer ${await signed({ sub: '1', iss: 'https://evil.example', aud: TEST_AUTH_ENV.AUTH_AUDIENCE, exp: now() + 60 })}` }), 'Bearer error="invalid_token"'],
      ['a wrong audience', async () => ({ Authorization: `Bearer ${await signed({ sub: '1', iss: TEST_AUTH_ENV.AUTH_ISSUER, aud: 'another', exp: now() + 60 })}` }), 'Bearer error="invalid_token"'],
      ['no user id', async () => ({ Authorization: `Bearer ${await signed({ iss: TEST_AUTH_ENV.AUTH_ISSUER, aud: TEST_AUTH_ENV.AUTH_AUDIENCE, exp: now() + 60 })}` }), 'Bearer error="invalid_token"'],
    ])('%s', async (_case, headers, challenge) => {
      const before = await state();
      for (const op of operations) {
        const response = await call(op, await headers());
        expect({ op: op.name, status: response.status, code: response.body.code }).toEqual({ op: op.name, status: 401, code: 'UNAUTHENTICATED' });
        expect(response.headers['www-authenticate']).toBe(challenge);
      }
      expect(await state()).toEqual(before);
    });
  });

  describe('Cache-Control: no-store on every answer to a user-scoped request', () => {
    it.each(['chargeBalance', 'getBalance', 'getBalanceHistory', 'listUserCoupons', 'issueCoupon', 'placeOrder', 'getOrder', 'payOrder', 'listUserOrders', 'cancelOrder'])('%s: refused 401, 403 or 404', async (name) => {
      const op = operations.find((candidate) => candidate.name === name)!;
      const before = await state();
      for (const response of [await call(op), await call(op, await authHeader(alice.id))]) {
        expect([401, 403, 404]).toContain(response.status);
        expect(response.headers['cache-control']).toBe('no-store');
      }
      expect(await state()).toEqual(before);
    });

    it('answered: a charge and the balance it shows', async () => {
      const carol = await makeUser(t.http);
      const charged = await t.http.post(`/api/v1/users/${carol.id}/balance/charge`).set(await authHeader(carol.id)).send({ amount: 1_000 }).expect(200);
      const balance = await t.http.get(`/api/v1/users/${carol.id}/balance`).set(await authHeader(carol.id)).expect(200);
      expect([charged.headers['cache-control'], balance.headers['cache-control']]).toEqual(['no-store', 'no-store']);
    });

    it('not on public reads', async () => {
      const response = await t.http.get('/api/v1/products').expect(200);
      expect(response.headers['cache-control']).not.toBe('no-store');
    });
  });

  it('public routes ignore a token, even a broken one; admin routes take X-Admin-Key without one', async () => {
    const broken = { Authorization: 'Bearer broken' };
    for (const path of ['/api/v1/products', `/api/v1/products/${productId}`, '/api/v1/products/top', `/api/v1/coupons/${couponId}`, '/health/live', '/docs-json']) {
      await t.http.get(path).expect(200);
      await t.http.get(path).set(broken).expect(200);
    }
    await t.http.get('/metrics').set(broken).expect(200);
    await t.http.post('/api/v1/users').set('X-Admin-Key', ADMIN_KEY).send({ name: 'admin-made' }).expect(201);
    await t.http.post('/api/v1/users').set(await authHeader(alice.id)).send({ name: 'not-admin' }).expect(401);
  });

  describe('403 FORBIDDEN when acting for another user, nothing changed', () => {
    it.each(['chargeBalance', 'getBalance', 'getBalanceHistory', 'listUserCoupons', 'issueCoupon', 'placeOrder', 'payOrder', 'listUserOrders', 'cancelOrder'])('%s', async (name) => {
      const op = operations.find((o) => o.name === name)!;
      const before = await state();
      const response = await call(op, await authHeader(alice.id)).expect(403);
      expect(response.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
      expect(await state()).toEqual(before);
    });

    it("another user's order reads as missing: 404 ORDER_NOT_FOUND, like an order that does not exist", async () => {
      const theirs = await t.http.get(`/api/v1/orders/${bobsOrderId}`).set(await authHeader(alice.id)).expect(404);
      const none = await t.http.get('/api/v1/orders/987654').set(await authHeader(alice.id)).expect(404);
      expect(theirs.body.code).toBe('ORDER_NOT_FOUND');
      expect(none.body.code).toBe('ORDER_NOT_FOUND');
      await t.http.get(`/api/v1/orders/${bobsOrderId}`).set(await authHeader(bob.id)).expect(200);
    });

    it("paying or canceling another user's order for oneself answers 404 ORDER_NOT_FOUND, as for a missing one", async () => {
      const pay = (orderId: number) => t.http.post('/api/v1/payments').set(bearerSync(alice.id)).send({ orderId, userId: alice.id });
      const cancel = (orderId: number) => t.http.post(`/api/v1/orders/${orderId}/cancel`).set(bearerSync(alice.id)).send({ userId: alice.id });
      for (const answer of [await pay(bobsOrderId), await pay(987_654), await cancel(bobsOrderId), await cancel(987_654)]) {
        expect(answer.status).toBe(404);
        expect(answer.body).toMatchObject({ code: 'ORDER_NOT_FOUND', message: expect.not.stringContaining(String(bob.id)) });
      }
      await t.http.get(`/api/v1/orders/${bobsOrderId}`).set(await authHeader(bob.id)).expect(200).expect((r) => expect(r.body.status).toBe('PENDING_PAYMENT'));
    });
  });

  describe('the order of checks: 401 → 400/413/415 → 403 → the operation', () => {
    const charge = () => t.http.post(`/api/v1/users/${bob.id}/balance/charge`).set('Content-Type', 'application/json');

    it('401 comes before a body that is not JSON, too large or not JSON at all', async () => {
      await charge().send('{"amount": ').expect(401);
      await charge().send(JSON.stringify({ amount: 1, pad: 'x'.repeat(100_000) })).expect(401);
      await t.http.post(`/api/v1/users/${bob.id}/balance/charge`).set('Content-Type', 'text/plain').send('amount=1').expect(401);
      await charge().send('[1]').expect(401);
    });

    it('then the request shape, before whose request it is', async () => {
      const asAlice = await authHeader(alice.id);
      expect((await charge().set(asAlice).send('{"amount": ').expect(400)).body.code).toBe('VALIDATION_FAILED');
      expect((await charge().set(asAlice).send(JSON.stringify({ amount: 1, pad: 'x'.repeat(100_000) })).expect(413)).body.code).toBe('PAYLOAD_TOO_LARGE');
      expect((await charge().set(asAlice).send({ amount: 'lots' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
      expect((await t.http.get('/api/v1/users/abc/balance').set(asAlice).expect(400)).body.code).toBe('VALIDATION_FAILED');
      expect((await charge().set(asAlice).send({ amount: 1_000 }).expect(403)).body.code).toBe('FORBIDDEN');
    });

    it('then the operation: a user acting for themself gets its own errors', async () => {
      const ghost = 987_654;
      expect((await t.http.get(`/api/v1/users/${ghost}/balance`).set(await authHeader(ghost)).expect(404)).body.code).toBe('USER_NOT_FOUND');
    });
  });

  describe('at most MAX_PENDING_ORDERS_PER_USER (3 here) unpaid orders per user', () => {
    const order = (user: UserFixture) =>
      t.http.post('/api/v1/orders').set(bearerSync(user.id)).send({ userId: user.id, items: [{ productId, quantity: 1 }] });
    const stock = async () => Number((await t.query<{ stock: number }>('SELECT stock FROM products WHERE id = ?', [productId]))[0].stock);

    it('10 concurrent orders of one user → exactly 3 placed, 7 refused 409 TOO_MANY_PENDING_ORDERS with nothing taken', async () => {
      const user = await makeUser(t.http, { balance: 100_000 });
      const stockBefore = await stock();
      const responses = await Promise.all(Array.from({ length: 10 }, () => order(user)));

      expect(responses.filter((r) => r.status === 201)).toHaveLength(3);
      const refused = responses.filter((r) => r.status !== 201);
      expect(refused.map((r) => [r.status, r.body.code])).toEqual(Array.from({ length: 7 }, () => [409, 'TOO_MANY_PENDING_ORDERS']));
      expect(await stock()).toBe(stockBefore - 3);
      expect(await t.query('SELECT id FROM orders WHERE user_id = ?', [user.id])).toHaveLength(3);

      // A paid order frees its place, and so does one past its deadline that no sweep has expired yet.
      const [first, second] = await t.query<{ id: number }>('SELECT id FROM orders WHERE user_id = ? ORDER BY id', [user.id]);
      await t.http.post('/api/v1/payments').set(await authHeader(user.id)).send({ orderId: first.id, userId: user.id }).expect(201);
      await order(user).expect(201);
      await order(user).expect(409);
      await t.query('UPDATE orders SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [second.id]);
      await order(user).expect(201);
      await order(user).expect(409);
      // A canceled one frees its place at once.
      const [, , third] = await t.query<{ id: number }>('SELECT id FROM orders WHERE user_id = ? ORDER BY id', [user.id]);
      await t.http.post(`/api/v1/orders/${third.id}/cancel`).set(bearerSync(user.id)).send({ userId: user.id }).expect(200);
      await order(user).expect(201);
      await order(user).expect(409);
    });

    it('holds under Idempotency-Key too: 8 concurrent keyed orders → exactly 3 placed', async () => {
      const user = await makeUser(t.http);
      const responses = await Promise.all(Array.from({ length: 8 }, (_, i) => order(user).set('Idempotency-Key', `cap-${user.id}-${i}`)));
      expect(responses.filter((r) => r.status === 201)).toHaveLength(3);
      expect(responses.filter((r) => r.status === 409 && r.body.code === 'TOO_MANY_PENDING_ORDERS')).toHaveLength(5);
      expect(await t.query('SELECT id FROM orders WHERE user_id = ?', [user.id])).toHaveLength(3);
    });

    it("one user's cap does not hold back another's orders", async () => {
      const [busy, other] = [await makeUser(t.http), await makeUser(t.http)];
      await Promise.all(Array.from({ length: 3 }, () => order(busy).expect(201)));
      await order(busy).expect(409);
      await order(other).expect(201);
    });
  });

  describe('browsers: CORS from CORS_ORIGINS and hardening headers', () => {
    it('answers a preflight from a listed origin with 204 and the contract headers', async () => {
      const response = await t.http
        .options('/api/v1/orders')
        .set('Origin', ORIGIN)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization,content-type,idempotency-key')
        .expect(204);
      expect(response.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(response.headers['access-control-allow-methods']).toBe('GET,POST');
      expect(response.headers['access-control-allow-headers']).toBe('Authorization,Content-Type,Idempotency-Key,X-Request-Id');
    });

    it('gives an unlisted origin no Access-Control-Allow-Origin', async () => {
      const preflight = await t.http.options('/api/v1/orders').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      const read = await t.http.get('/api/v1/products').set('Origin', 'https://shop.example.evil.com').expect(200);
      expect(read.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('lets a listed origin read X-Request-Id from an answer', async () => {
      const response = await t.http.get(`/api/v1/users/${alice.id}/balance`).set('Origin', 'http://localhost:5173').set(await authHeader(alice.id)).expect(200);
      expect(response.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      expect(response.headers['access-control-expose-headers']).toBe('X-Request-Id');
    });

    it('sends nosniff and the other hardening headers on answers and errors alike', async () => {
      for (const response of [await t.http.get('/api/v1/products').expect(200), await t.http.get('/api/v1/nope').expect(404), await t.http.get(`/api/v1/users/${alice.id}/balance`).expect(401)]) {
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(response.headers['content-security-policy']).toContain("default-src 'self'");
        expect(response.headers['x-powered-by']).toBeUndefined();
      }
    });

    it('keeps Swagger UI working: its page loads only same-origin scripts, which the CSP allows and the server serves', async () => {
      const page = await t.http.get('/docs').redirects(1).expect(200);
      const csp = page.headers['content-security-policy'];
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(page.text).not.toMatch(/<script>(?!\s*<\/script>)/);
      const assets = [...page.text.matchAll(/<(?:script src|link rel="stylesheet" type="text\/css" href)="([^"]+)"/g)].map(([, src]) => src);
      expect(assets.length).toBeGreaterThanOrEqual(4);
      for (const src of assets) {
        expect(src).not.toMatch(/^(https?:)?\/\//);
        await t.http.get(new URL(src, 'http://localhost/docs').pathname).expect(200);
      }
    });
  });

  it('counts refused tokens by reason in the metrics', async () => {
    await t.http.get(`/api/v1/users/${alice.id}/balance`).set('Authorization', 'Bearer garbage').expect(401);
    const metrics = (await t.http.get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/^auth_failures_total\{reason="missing"\} [1-9]/m);
    expect(metrics).toMatch(/^auth_failures_total\{reason="malformed"\} [1-9]/m);
    expect(metrics).toMatch(/^auth_failures_total\{reason="expired"\} [1-9]/m);
  });

  it('documents the bearer and admin-key schemes per operation, with 401/403/429 where they can happen', async () => {
    const document = (await t.http.get('/docs-json').expect(200)).body;
    expect(document.components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
      'admin-key': expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-Admin-Key' }),
    });
    const op = (path: string, method: string) => document.paths[path][method];
    for (const [path, method] of [
      ['/api/v1/users/{userId}/balance/charge', 'post'],
      ['/api/v1/users/{userId}/balance', 'get'],
      ['/api/v1/users/{userId}/balance/history', 'get'],
      ['/api/v1/users/{userId}/coupons', 'get'],
      ['/api/v1/coupons/{couponId}/issue', 'post'],
      ['/api/v1/orders', 'post'],
      ['/api/v1/orders/{orderId}', 'get'],
      ['/api/v1/payments', 'post'],
    ]) {
      expect({ path, security: op(path, method).security }).toEqual({ path, security: [{ bearer: [] }] });
      expect(Object.keys(op(path, method).responses)).toEqual(expect.arrayContaining(['401', '403', '429'].filter((s) => s !== '403' || path !== '/api/v1/orders/{orderId}')));
    }
    for (const [path, method] of [
      ['/api/v1/users', 'post'],
      ['/api/v1/products', 'post'],
      ['/api/v1/coupons', 'post'],
    ]) {
      expect({ path, security: op(path, method).security }).toEqual({ path, security: [{ 'admin-key': [] }] });
    }
    for (const [path, method] of [
      ['/api/v1/products', 'get'],
      ['/api/v1/products/{productId}', 'get'],
      ['/api/v1/products/top', 'get'],
      ['/api/v1/coupons/{couponId}', 'get'],
    ]) {
      expect({ path, security: op(path, method).security, has401: '401' in op(path, method).responses }).toEqual({ path, security: [], has401: false });
    }
  });
});

describe('rate limit per user (e2e)', () => {
  const t = useTestApp({ RATE_LIMIT_PER_USER_PER_SECOND: '5' });

  it('answers 429 RATE_LIMITED with Retry-After beyond the limit, changing nothing, for that user only', async () => {
    const [limited, other] = [await makeUser(t.http), await makeUser(t.http)];
    const asLimited = await authHeader(limited.id);
    const balance = () => t.http.get(`/api/v1/users/${limited.id}/balance`).set(asLimited);

    const burst = await Promise.all(Array.from({ length: 5 }, () => balance()));
    expect(burst.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const refused = await t.http.post(`/api/v1/users/${limited.id}/balance/charge`).set(asLimited).send({ amount: 1_000 }).expect(429);
    expect(refused.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED', message: expect.any(String) });
    expect(refused.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(await t.query('SELECT balance FROM user_balances WHERE user_id = ?', [limited.id])).toEqual([{ balance: 0 }]);
    expect(await t.query('SELECT id FROM balance_history WHERE user_id = ?', [limited.id])).toEqual([]);

    await t.http.get(`/api/v1/users/${other.id}/balance`).set(await authHeader(other.id)).expect(200);
    const publicReads = await Promise.all(Array.from({ length: 10 }, () => t.http.get('/api/v1/products').set(asLimited)));
    expect(publicReads.every((r) => r.status === 200)).toBe(true);

    await new Promise((resolve) => setTimeout(resolve, Number(refused.headers['retry-after']) * 1_000 + 50));
    await balance().expect(200);
    expect((await t.http.get('/metrics').expect(200)).text).toMatch(/^rate_limited_requests_total [1-9]/m);
  });
});
