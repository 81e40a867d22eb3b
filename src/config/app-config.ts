import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { ConfigVariable, integer, isInvalidValue, list, oneOf, optionalText, optionalUrl, requiredText, text } from './config-variable';

const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;
const HOST_PORT = /^[A-Za-z0-9.-]{1,255}(:([1-9]\d{0,3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d{2}|655[0-2]\d|6553[0-5]))?$/;

/**
 * Every environment variable of the service, declared once and grouped as the app reads them
 * (`config.outbox.maxAttempts`). `.env.example` and docs/configuration.md are generated from this
 * (`npm run config:docs`); a unit test fails when they disagree with it.
 */
export const CONFIG_SCHEMA = {
  http: {
    title: 'HTTP',
    variables: {
      host: text('HOST', {
        default: '127.0.0.1',
        pattern: /^[A-Za-z0-9.:-]{1,255}$/,
        patternText: 'an address or host name',
        description: 'The address the API listens on: 127.0.0.1 (this machine only) unless set; 0.0.0.0 (every interface) in a container.',
      }),
      port: integer('PORT', { default: 3000, min: 1, max: 65_535, description: 'HTTP port.' }),
      corsOrigins: list('CORS_ORIGINS', {
        item: ORIGIN,
        itemText: 'scheme://host[:port]',
        description: 'Origins browsers may call the API from; unset = none.',
      }),
    },
  },
  database: {
    title: 'Database (MySQL 8 / MariaDB 10.11; start-up creates DB_NAME if missing and applies pending migrations)',
    variables: {
      host: text('DB_HOST', { default: '127.0.0.1', minLength: 1, maxLength: 255, description: 'Database host.' }),
      port: integer('DB_PORT', { default: 3306, min: 1, max: 65_535, description: 'Database port.' }),
      user: text('DB_USER', { default: 'root', minLength: 1, maxLength: 255, description: 'Database user.' }),
      password: text('DB_PASSWORD', { default: '', maxLength: 1_024, description: 'Database password.' }),
      name: text('DB_NAME', {
        default: 'ecommerce',
        pattern: /^[A-Za-z0-9_]{1,64}$/,
        patternText: '1-64 letters, digits or underscores',
        description: 'Database name (created at start-up when missing).',
      }),
      replicaHosts: list('DB_REPLICA_HOSTS', {
        item: HOST_PORT,
        itemText: 'host[:port]',
        description:
          'Read replicas (port DB_PORT unless given) for the public reads of products, top products and coupons; same user, password and database as the primary. Unset = every read on the primary.',
      }),
      poolSize: integer('DB_POOL_SIZE', { default: 20, min: 1, max: 200, description: 'Connections in the pool of each instance.' }),
      queryTimeoutMs: integer('DB_QUERY_TIMEOUT_MS', {
        default: 5_000,
        min: 100,
        max: 600_000,
        description:
          'The most any statement, or the wait for a pooled connection, may take before the request is answered 503; also the database’s own statement limit (MariaDB max_statement_time, MySQL max_execution_time). Migrations are not limited.',
      }),
    },
  },
  auth: {
    title: 'Access tokens (JWT) from the identity provider',
    variables: {
      issuer: requiredText('AUTH_ISSUER', { minLength: 1, maxLength: 500, example: 'http://localhost:3000/dev-issuer', description: 'The iss of accepted access tokens.' }),
      audience: requiredText('AUTH_AUDIENCE', { minLength: 1, maxLength: 500, example: 'order-service', description: 'The aud of accepted access tokens.' }),
      jwtSecret: optionalText('AUTH_JWT_SECRET', {
        minLength: 32,
        maxLength: 1_024,
        example: 'dev-only-secret-do-not-use-in-production-0123',
        description: 'HS256 shared secret (the example value is for development only). Set this, AUTH_JWKS_URL, or both.',
      }),
      jwksUrl: optionalUrl('AUTH_JWKS_URL', {
        description: 'The identity provider’s JWKS (RS256/ES256 keys by kid; cached, fetched again for an unknown kid), e.g. https://id.example.com/.well-known/jwks.json.',
      }),
      userIdClaim: text('AUTH_USER_ID_CLAIM', {
        default: 'sub',
        pattern: /^[A-Za-z_][\w.:/-]{0,99}$/,
        patternText: 'a claim name',
        description: 'The claim holding the service’s user id (a decimal string or an integer).',
      }),
    },
  },
  limits: {
    title: 'Limits per user',
    variables: {
      rateLimitPerUserPerSecond: integer('RATE_LIMIT_PER_USER_PER_SECOND', {
        default: 20,
        min: 0,
        max: 100_000,
        description: 'User-scoped requests per user per second: per instance, or shared by all instances with REDIS_URL (0 = no limit).',
      }),
      maxPendingOrdersPerUser: integer('MAX_PENDING_ORDERS_PER_USER', { default: 5, min: 1, max: 10_000, description: 'Unpaid (PENDING_PAYMENT) orders a user may hold at once.' }),
    },
  },
  redis: {
    title: 'Redis (optional; shared by several instances)',
    variables: {
      url: optionalText('REDIS_URL', {
        pattern: /^redis:\/\/[A-Za-z0-9.-]{1,253}:\d{1,5}(\/\d{1,2})?$/,
        patternText: 'redis://host:port[/db]',
        description: 'Where the per-user rate limit is counted for all instances; unset = each instance counts its own.',
      }),
    },
  },
  admin: {
    title: 'Admin endpoints',
    variables: {
      apiKey: optionalText('ADMIN_API_KEY', { minLength: 8, maxLength: 256, description: 'The X-Admin-Key of the admin endpoints; unset = admin endpoints answer 401.' }),
    },
  },
  orders: {
    title: 'Orders',
    variables: {
      paymentTimeoutSeconds: integer('ORDER_PAYMENT_TIMEOUT_SECONDS', { default: 900, min: 1, max: 86_400, description: 'Seconds an order may stay unpaid before it expires and its stock returns.' }),
      refundWindowDays: integer('REFUND_WINDOW_DAYS', { default: 7, min: 0, max: 365, description: 'Days after its payment a paid order may still be canceled into a refund (0 = paid orders cannot be canceled).' }),
    },
  },
  coupons: {
    title: 'Coupons',
    variables: {
      issueBatchSize: integer('COUPON_ISSUE_BATCH_SIZE', { default: 500, min: 1, max: 1_000, description: 'Most concurrent issue requests for one coupon settled in one transaction.' }),
    },
  },
  ranking: {
    title: 'Top products',
    variables: {
      cacheTtlSeconds: integer('RANKING_CACHE_TTL_SECONDS', { default: 60, min: 0, max: 3_600, description: 'Seconds a top-products answer may be cached (0 = always fresh).' }),
      rollupIntervalMs: integer('RANKING_ROLLUP_INTERVAL_MS', {
        default: 1_000,
        min: 0,
        max: 60_000,
        description: 'How often this instance rolls paid lines into the top-products aggregates; 0 = never on this instance (keep at least one instance above 0).',
      }),
    },
  },
  outbox: {
    title: 'Delivery to the data platform (transactional outbox)',
    variables: {
      dataPlatformUrl: optionalUrl('DATA_PLATFORM_URL', { description: 'Where order events are delivered (POST); unset = events wait in the outbox and start-up warns.' }),
      dataPlatformTimeoutMs: integer('DATA_PLATFORM_TIMEOUT_MS', { default: 5_000, min: 10, max: 120_000, description: 'One delivery attempt’s time limit.' }),
      maxAttempts: integer('OUTBOX_MAX_ATTEMPTS', { default: 10, min: 1, max: 100, description: 'Delivery attempts before an event is DEAD.' }),
      pollIntervalMs: integer('OUTBOX_POLL_INTERVAL_MS', { default: 500, min: 10, max: 60_000, description: 'How often the relay looks for due events when the last look found less than a full batch.' }),
      backoffBaseMs: integer('OUTBOX_BACKOFF_BASE_MS', { default: 1_000, min: 1, max: 3_600_000, description: 'Retry backoff: base · 2^(attempt − 1), capped, with jitter.' }),
      backoffMaxMs: integer('OUTBOX_BACKOFF_MAX_MS', { default: 300_000, min: 1, max: 86_400_000, description: 'The cap of the retry backoff (not below OUTBOX_BACKOFF_BASE_MS).' }),
      retentionDays: integer('OUTBOX_RETENTION_DAYS', { default: 7, min: 1, max: 3_650, description: 'Days a delivered (SENT) event is kept before the retention job deletes it.' }),
    },
  },
  logging: {
    title: 'Logs',
    variables: {
      level: oneOf('LOG_LEVEL', { values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info', description: 'pino level; debug adds Nest’s module and route lines.' }),
    },
  },
} as const satisfies Record<string, ConfigSection>;

interface ConfigSection {
  title: string;
  variables: Record<string, ConfigVariable<unknown>>;
}

type Schema = typeof CONFIG_SCHEMA;
type ValuesOf<S extends ConfigSection> = { readonly [K in keyof S['variables']]: S['variables'][K] extends ConfigVariable<infer T> ? T : never };
type ConfigValues = { readonly [G in keyof Schema]: ValuesOf<Schema[G]> };

export type DatabaseConfig = ConfigValues['database'];
export type AuthConfig = ConfigValues['auth'];

/**
 * The validated configuration, injected by this class as its token. Its shape is CONFIG_SCHEMA's:
 * the interface merges the values in, the class is only the token.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- a DI token with the schema's shape
export interface AppConfig extends ConfigValues {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class AppConfig {}

export class InvalidConfigError extends Error {}

/**
 * The process's environment over the values of a `.env` file in the working directory, if there is
 * one (what `node --env-file-if-exists` does, without its notice when there is none).
 */
export function processEnvironment(): NodeJS.ProcessEnv {
  if (!existsSync('.env')) return process.env;
  return { ...parseEnv(readFileSync('.env', 'utf8')), ...process.env };
}

/**
 * Reads and validates the environment. A bad value throws an error naming the variable;
 * an empty string counts as unset so `.env` files can leave a variable blank.
 */
export function loadConfig(env: NodeJS.ProcessEnv = processEnvironment()): AppConfig {
  const problems: string[] = [];
  const config = Object.fromEntries(Object.entries(CONFIG_SCHEMA).map(([group, section]) => [group, readSection(section, env, problems)])) as unknown as AppConfig;
  if (problems.length === 0) problems.push(...crossChecks(config));
  throwIfInvalid(problems);
  return config;
}

/** The database settings alone, for tools that need nothing else (the TypeORM CLI). */
export function loadDatabaseConfig(env: NodeJS.ProcessEnv = processEnvironment()): DatabaseConfig {
  const problems: string[] = [];
  const database = readSection(CONFIG_SCHEMA.database, env, problems) as DatabaseConfig;
  throwIfInvalid(problems);
  return database;
}

function crossChecks(config: AppConfig): string[] {
  const problems: string[] = [];
  if (config.outbox.backoffMaxMs < config.outbox.backoffBaseMs) problems.push('OUTBOX_BACKOFF_MAX_MS: must not be less than OUTBOX_BACKOFF_BASE_MS');
  if (config.auth.jwtSecret === undefined && config.auth.jwksUrl === undefined) {
    problems.push('AUTH_JWT_SECRET: set AUTH_JWT_SECRET (HS256) or AUTH_JWKS_URL (RS256/ES256), or both');
  }
  return problems;
}

function readSection(section: ConfigSection, env: NodeJS.ProcessEnv, problems: string[]): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(section.variables).map(([key, variable]) => {
      try {
        return [key, variable.parse(env[variable.env])];
      } catch (error) {
        if (!isInvalidValue(error)) throw error;
        problems.push(`${variable.env}: ${error.message}`);
        return [key, undefined];
      }
    }),
  );
}

function throwIfInvalid(problems: string[]): void {
  if (problems.length > 0) throw new InvalidConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
}
