import { loadConfig } from './app-config';

describe(loadConfig.name, () => {
  it('applies the contract defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      database: { host: '127.0.0.1', port: 3306, user: 'root', password: '', name: 'ecommerce' },
      dataPlatformUrl: undefined,
      adminApiKey: undefined,
      orderPaymentTimeoutSeconds: 900,
      rankingCacheTtlSeconds: 60,
      outboxMaxAttempts: 10,
      outboxPollIntervalMs: 500,
      outboxBackoffBaseMs: 1_000,
      outboxBackoffMaxMs: 300_000,
      dataPlatformTimeoutMs: 5_000,
      rankingRollupIntervalMs: 1_000,
      outboxRetentionDays: 7,
    });
    expect(config.database.queryTimeoutMs).toBe(5_000);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      DB_HOST: 'db',
      DB_PORT: '3307',
      DB_USER: 'app',
      DB_PASSWORD: 'secret',
      DB_NAME: 'shop',
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
    });
    expect(config).toMatchObject({
      port: 8080,
      database: { host: 'db', port: 3307, user: 'app', password: 'secret', name: 'shop' },
      dataPlatformUrl: 'http://platform:4000/events',
      adminApiKey: 'a-long-admin-key',
      orderPaymentTimeoutSeconds: 60,
      rankingCacheTtlSeconds: 0,
      rankingRollupIntervalMs: 250,
      outboxMaxAttempts: 3,
      outboxPollIntervalMs: 50,
      outboxBackoffBaseMs: 20,
      outboxBackoffMaxMs: 200,
      dataPlatformTimeoutMs: 300,
    });
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
  ])('rejects %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^Invalid configuration:\\n  ${name}:`));
  });

  it('rejects a backoff cap below the base', () => {
    expect(() => loadConfig({ OUTBOX_BACKOFF_BASE_MS: '5000', OUTBOX_BACKOFF_MAX_MS: '1000' })).toThrow(
      /^Invalid configuration:\n {2}OUTBOX_BACKOFF_MAX_MS:/,
    );
  });
});
