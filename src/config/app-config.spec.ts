import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, loadDatabaseConfig, processEnvironment } from './app-config';

const AUTH = { AUTH_ISSUER: 'https://id.example', AUTH_AUDIENCE: 'orders', AUTH_JWT_SECRET: 'x'.repeat(32) };

describe(loadConfig.name, () => {
  it('applies the contract defaults', () => {
    const config = loadConfig(AUTH);
    expect(config).toEqual({
      http: { host: '127.0.0.1', port: 3000, corsOrigins: [] },
      database: { host: '127.0.0.1', port: 3306, user: 'root', password: '', name: 'ecommerce', poolSize: 20, queryTimeoutMs: 5_000, replicaHosts: [] },
      auth: { issuer: 'https://id.example', audience: 'orders', jwtSecret: 'x'.repeat(32), jwksUrl: undefined, userIdClaim: 'sub' },
      limits: { rateLimitPerUserPerSecond: 20, maxPendingOrdersPerUser: 5 },
      redis: { url: undefined },
      admin: { apiKey: undefined },
      orders: { paymentTimeoutSeconds: 900, refundWindowDays: 7 },
      coupons: { issueBatchSize: 500 },
      ranking: { cacheTtlSeconds: 60, rollupIntervalMs: 1_000 },
      outbox: {
        dataPlatformUrl: undefined,
        dataPlatformTimeoutMs: 5_000,
        maxAttempts: 10,
        pollIntervalMs: 500,
        backoffBaseMs: 1_000,
        backoffMaxMs: 300_000,
        retentionDays: 7,
      },
      logging: { level: 'info' },
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      AUTH_ISSUER: 'https://id.example',
      AUTH_AUDIENCE: 'orders',
      AUTH_JWT_SECRET: 's'.repeat(40),
      AUTH_JWKS_URL: 'https://id.example/.well-known/jwks.json',
      AUTH_USER_ID_CLAIM: 'https://shop.example/user_id',
      RATE_LIMIT_PER_USER_PER_SECOND: '0',
      MAX_PENDING_ORDERS_PER_USER: '2',
      CORS_ORIGINS: 'https://shop.example,http://localhost:5173',
      HOST: '0.0.0.0',
      PORT: '8080',
      DB_HOST: 'db',
      DB_PORT: '3307',
      DB_USER: 'app',
      DB_PASSWORD: 'secret',
      DB_NAME: 'shop',
      DB_REPLICA_HOSTS: 'replica-1,10.0.0.12:3307',
      DATA_PLATFORM_URL: 'http://platform:4000/events',
      ADMIN_API_KEY: 'a-long-admin-key',
      ORDER_PAYMENT_TIMEOUT_SECONDS: '60',
      RANKING_CACHE_TTL_SECONDS: '0',
      RANKING_ROLLUP_INTERVAL_MS: '250',
      OUTBOX_MAX_ATTEMPTS: '3',
      OUTBOX_POLL_INTERVAL_MS: '50',
      OUTBOX_BACKOFF_BASE_MS: '20',
      OUTBOX_BACKOFF_MAX_MS: '200',
      DATA_PLATFORM_TIMEOUT_MS: '300',
      COUPON_ISSUE_BATCH_SIZE: '50',
      REDIS_URL: 'redis://cache.internal:6380/2',
    });
    expect(config).toMatchObject({
      http: { host: '0.0.0.0', port: 8080, corsOrigins: ['https://shop.example', 'http://localhost:5173'] },
      database: { host: 'db', port: 3307, user: 'app', password: 'secret', name: 'shop', replicaHosts: ['replica-1', '10.0.0.12:3307'] },
      auth: {
        issuer: 'https://id.example',
        audience: 'orders',
        jwtSecret: 's'.repeat(40),
        jwksUrl: 'https://id.example/.well-known/jwks.json',
        userIdClaim: 'https://shop.example/user_id',
      },
      limits: { rateLimitPerUserPerSecond: 0, maxPendingOrdersPerUser: 2 },
      redis: { url: 'redis://cache.internal:6380/2' },
      admin: { apiKey: 'a-long-admin-key' },
      orders: { paymentTimeoutSeconds: 60 },
      coupons: { issueBatchSize: 50 },
      ranking: { cacheTtlSeconds: 0, rollupIntervalMs: 250 },
      outbox: {
        dataPlatformUrl: 'http://platform:4000/events',
        dataPlatformTimeoutMs: 300,
        maxAttempts: 3,
        pollIntervalMs: 50,
        backoffBaseMs: 20,
        backoffMaxMs: 200,
      },
    });
  });

  it('accepts a JWKS URL without a shared secret', () => {
    const config = loadConfig({ ...AUTH, AUTH_JWT_SECRET: '', AUTH_JWKS_URL: 'http://127.0.0.1:8080/jwks' });
    expect(config.auth).toMatchObject({ jwtSecret: undefined, jwksUrl: 'http://127.0.0.1:8080/jwks' });
  });

  it.each([
    ['AUTH_ISSUER', { ...AUTH, AUTH_ISSUER: '' }],
    ['AUTH_AUDIENCE', { ...AUTH, AUTH_AUDIENCE: undefined }],
    ['AUTH_JWT_SECRET', { ...AUTH, AUTH_JWT_SECRET: '' }],
  ])('requires %s', (name, env) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration:\\n  ${name}:`));
  });

  it('reads the database settings without the auth ones (for the migration CLI)', () => {
    expect(loadDatabaseConfig({ DB_NAME: 'shop' })).toMatchObject({ name: 'shop', port: 3306 });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DB_PORT', '3.5'],
    ['DB_NAME', 'shop; DROP'],
    ['DATA_PLATFORM_URL', 'not a url'],
    ['ADMIN_API_KEY', 'short'],
    ['ORDER_PAYMENT_TIMEOUT_SECONDS', '0'],
    ['RANKING_CACHE_TTL_SECONDS', '-1'],
    ['RANKING_ROLLUP_INTERVAL_MS', '60001'],
    ['OUTBOX_MAX_ATTEMPTS', 'many'],
    ['OUTBOX_POLL_INTERVAL_MS', '5'],
    ['OUTBOX_BACKOFF_BASE_MS', '0'],
    ['OUTBOX_BACKOFF_MAX_MS', '1.5'],
    ['DATA_PLATFORM_TIMEOUT_MS', '-100'],
    ['COUPON_ISSUE_BATCH_SIZE', '0'],
    ['COUPON_ISSUE_BATCH_SIZE', '1001'],
    ['AUTH_JWT_SECRET', 'shorter-than-32-characters'],
    ['AUTH_JWKS_URL', 'jwks.json'],
    ['AUTH_USER_ID_CLAIM', 'has space'],
    ['RATE_LIMIT_PER_USER_PER_SECOND', '-1'],
    ['MAX_PENDING_ORDERS_PER_USER', '0'],
    ['CORS_ORIGINS', 'https://shop.example/'],
    ['CORS_ORIGINS', '*'],
    ['CORS_ORIGINS', 'https://a.example, https://b.example'],
    ['DB_REPLICA_HOSTS', 'replica:70000'],
    ['DB_REPLICA_HOSTS', 'replica:0'],
    ['DB_REPLICA_HOSTS', 'a, b'],
    ['DB_REPLICA_HOSTS', 'mysql://replica'],
    ['REDIS_URL', 'http://cache:6379'],
    ['REDIS_URL', 'redis://cache'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig({ ...AUTH, [name]: value })).toThrow(new RegExp(`^Invalid configuration:\\n  ${name}:`));
  });

  it('rejects a backoff cap below the base', () => {
    expect(() => loadConfig({ ...AUTH, OUTBOX_BACKOFF_BASE_MS: '5000', OUTBOX_BACKOFF_MAX_MS: '1000' })).toThrow(
      /^Invalid configuration:\n {2}OUTBOX_BACKOFF_MAX_MS:/,
    );
  });
});

describe(processEnvironment.name, () => {
  const home = process.cwd();
  afterEach(() => {
    const folder = process.cwd();
    process.chdir(home);
    if (folder !== home) rmSync(folder, { recursive: true, force: true });
  });

  it('reads a .env in the working directory, under the process environment', () => {
    process.chdir(mkdtempSync(join(tmpdir(), 'env-')));
    writeFileSync('.env', 'ONLY_IN_DOT_ENV_FOR_TEST=from-file\nPATH=from-file\n');

    const env = processEnvironment();

    expect(env.ONLY_IN_DOT_ENV_FOR_TEST).toBe('from-file');
    expect(env.PATH).toBe(process.env.PATH);
  });

  it('is the process environment when there is no .env', () => {
    process.chdir(mkdtempSync(join(tmpdir(), 'env-')));
    expect(processEnvironment()).toBe(process.env);
  });
});
