import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { plainToInstance } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

/** Raw environment as documented in `.env.example`; each field is validated at start-up. */
class EnvironmentVariables {
  @IsInt() @Min(1) @Max(65535) PORT = 3000;
  @IsString() @MinLength(1) DB_HOST = '127.0.0.1';
  @IsInt() @Min(1) @Max(65535) DB_PORT = 3306;
  @IsString() @MinLength(1) DB_USER = 'root';
  @IsString() DB_PASSWORD = '';
  @Matches(/^[A-Za-z0-9_]{1,64}$/, { message: 'DB_NAME must be 1-64 letters, digits or underscores' })
  DB_NAME = 'ecommerce';
  @IsInt() @Min(1) @Max(200) DB_POOL_SIZE = 20;
  @IsInt() @Min(100) @Max(600_000) DB_QUERY_TIMEOUT_MS = 5_000;
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  DATA_PLATFORM_URL?: string;
  @IsOptional() @IsString() @MinLength(8) @MaxLength(256) ADMIN_API_KEY?: string;
  @IsInt() @Min(1) @Max(86_400) ORDER_PAYMENT_TIMEOUT_SECONDS = 900;
  @IsInt() @Min(0) @Max(3_600) RANKING_CACHE_TTL_SECONDS = 60;
  @IsInt() @Min(0) @Max(60_000) RANKING_ROLLUP_INTERVAL_MS = 1_000;
  @IsInt() @Min(1) @Max(100) OUTBOX_MAX_ATTEMPTS = 10;
  @IsInt() @Min(10) @Max(60_000) OUTBOX_POLL_INTERVAL_MS = 500;
  @IsInt() @Min(1) @Max(3_600_000) OUTBOX_BACKOFF_BASE_MS = 1_000;
  @IsInt() @Min(1) @Max(86_400_000) OUTBOX_BACKOFF_MAX_MS = 300_000;
  @IsInt() @Min(10) @Max(120_000) DATA_PLATFORM_TIMEOUT_MS = 5_000;
  @IsInt() @Min(1) @Max(1_000) COUPON_ISSUE_BATCH_SIZE = 500;
  @IsInt() @Min(1) @Max(3_650) OUTBOX_RETENTION_DAYS = 7;
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL = 'info';
  // Required for the app (checked in loadConfig), optional for tools that only need the database.
  @IsOptional() @IsString() @MinLength(1) @MaxLength(500) AUTH_ISSUER?: string;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(500) AUTH_AUDIENCE?: string;
  @IsOptional() @IsString() @MinLength(32) @MaxLength(1024) AUTH_JWT_SECRET?: string;
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  AUTH_JWKS_URL?: string;
  @Matches(/^[A-Za-z_][\w.:/-]{0,99}$/, { message: 'AUTH_USER_ID_CLAIM must be a claim name' })
  AUTH_USER_ID_CLAIM = 'sub';
  @IsInt() @Min(0) @Max(100_000) RATE_LIMIT_PER_USER_PER_SECOND = 20;
  @IsInt() @Min(1) @Max(10_000) MAX_PENDING_ORDERS_PER_USER = 5;
  @IsOptional()
  @Matches(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(,https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?)*$/, {
    message: 'CORS_ORIGINS must be comma-separated origins, each exactly scheme://host[:port]',
  })
  CORS_ORIGINS?: string;
}

const INTEGER_VARIABLES = [
  'PORT',
  'DB_PORT',
  'DB_POOL_SIZE',
  'DB_QUERY_TIMEOUT_MS',
  'ORDER_PAYMENT_TIMEOUT_SECONDS',
  'RANKING_CACHE_TTL_SECONDS',
  'RANKING_ROLLUP_INTERVAL_MS',
  'OUTBOX_MAX_ATTEMPTS',
  'OUTBOX_POLL_INTERVAL_MS',
  'OUTBOX_BACKOFF_BASE_MS',
  'OUTBOX_BACKOFF_MAX_MS',
  'DATA_PLATFORM_TIMEOUT_MS',
  'COUPON_ISSUE_BATCH_SIZE',
  'RATE_LIMIT_PER_USER_PER_SECOND',
  'MAX_PENDING_ORDERS_PER_USER',
  'OUTBOX_RETENTION_DAYS',
];
const STRING_VARIABLES = [
  'DB_HOST',
  'DB_USER',
  'DB_PASSWORD',
  'DB_NAME',
  'DATA_PLATFORM_URL',
  'ADMIN_API_KEY',
  'LOG_LEVEL',
  'AUTH_ISSUER',
  'AUTH_AUDIENCE',
  'AUTH_JWT_SECRET',
  'AUTH_JWKS_URL',
  'AUTH_USER_ID_CLAIM',
  'CORS_ORIGINS',
];

export interface DatabaseConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  name: string;
  poolSize: number;
  /** The most any statement, or waiting for a pooled connection, may take; past it the request gets 503. */
  queryTimeoutMs: number;
}

/** How access tokens are verified (see src/auth). At least one of jwtSecret / jwksUrl is set. */
export interface AuthConfig {
  issuer: string;
  audience: string;
  jwtSecret: string | undefined;
  jwksUrl: string | undefined;
  userIdClaim: string;
}

/** Validated configuration, injected by class token. */
export class AppConfig {
  port: number;
  database: DatabaseConfig;
  dataPlatformUrl: string | undefined;
  adminApiKey: string | undefined;
  orderPaymentTimeoutSeconds: number;
  rankingCacheTtlSeconds: number;
  /** How often this instance rolls paid lines into the ranking aggregates; 0 = never (another instance does). */
  rankingRollupIntervalMs: number;
  outboxMaxAttempts: number;
  outboxPollIntervalMs: number;
  outboxBackoffBaseMs: number;
  outboxBackoffMaxMs: number;
  dataPlatformTimeoutMs: number;
  /** Most issue requests for one coupon settled in one transaction (see CouponIssueBatcher). */
  couponIssueBatchSize: number;
  /** SENT outbox events are deleted this many days after delivery. */
  outboxRetentionDays: number;
  logLevel: string;
  auth: AuthConfig;
  /** User-scoped requests per user per second on this instance; 0 = no limit. */
  rateLimitPerUserPerSecond: number;
  maxPendingOrdersPerUser: number;
  /** Exact origins browsers may call the API from; empty = none. */
  corsOrigins: string[];
}

export class InvalidConfigError extends Error {}

/**
 * Reads and validates the environment. A bad value throws an error naming the variable;
 * an empty string counts as unset so `.env` files can leave a variable blank.
 */
/**
 * The process's environment over the values of a `.env` file in the working directory, if there is
 * one (what `node --env-file-if-exists` does, without its notice when there is none).
 */
export function processEnvironment(): NodeJS.ProcessEnv {
  if (!existsSync('.env')) return process.env;
  return { ...parseEnv(readFileSync('.env', 'utf8')), ...process.env };
}

export function loadConfig(env: NodeJS.ProcessEnv = processEnvironment()): AppConfig {
  const { vars, lines } = validateEnvironment(env);
  if (lines.length === 0 && vars.OUTBOX_BACKOFF_MAX_MS < vars.OUTBOX_BACKOFF_BASE_MS) {
    lines.push('OUTBOX_BACKOFF_MAX_MS: must not be less than OUTBOX_BACKOFF_BASE_MS');
  }
  if (vars.AUTH_ISSUER === undefined) lines.push('AUTH_ISSUER: required (the iss of accepted access tokens)');
  if (vars.AUTH_AUDIENCE === undefined) lines.push('AUTH_AUDIENCE: required (the aud of accepted access tokens)');
  if (vars.AUTH_JWT_SECRET === undefined && vars.AUTH_JWKS_URL === undefined) {
    lines.push('AUTH_JWT_SECRET: set AUTH_JWT_SECRET (HS256) or AUTH_JWKS_URL (RS256/ES256), or both');
  }
  throwIfInvalid(lines);

  return {
    port: vars.PORT,
    database: databaseConfig(vars),
    dataPlatformUrl: vars.DATA_PLATFORM_URL,
    adminApiKey: vars.ADMIN_API_KEY,
    orderPaymentTimeoutSeconds: vars.ORDER_PAYMENT_TIMEOUT_SECONDS,
    rankingCacheTtlSeconds: vars.RANKING_CACHE_TTL_SECONDS,
    rankingRollupIntervalMs: vars.RANKING_ROLLUP_INTERVAL_MS,
    outboxMaxAttempts: vars.OUTBOX_MAX_ATTEMPTS,
    outboxPollIntervalMs: vars.OUTBOX_POLL_INTERVAL_MS,
    outboxBackoffBaseMs: vars.OUTBOX_BACKOFF_BASE_MS,
    outboxBackoffMaxMs: vars.OUTBOX_BACKOFF_MAX_MS,
    dataPlatformTimeoutMs: vars.DATA_PLATFORM_TIMEOUT_MS,
    couponIssueBatchSize: vars.COUPON_ISSUE_BATCH_SIZE,
    outboxRetentionDays: vars.OUTBOX_RETENTION_DAYS,
    logLevel: vars.LOG_LEVEL,
    auth: {
      issuer: vars.AUTH_ISSUER!,
      audience: vars.AUTH_AUDIENCE!,
      jwtSecret: vars.AUTH_JWT_SECRET,
      jwksUrl: vars.AUTH_JWKS_URL,
      userIdClaim: vars.AUTH_USER_ID_CLAIM,
    },
    rateLimitPerUserPerSecond: vars.RATE_LIMIT_PER_USER_PER_SECOND,
    maxPendingOrdersPerUser: vars.MAX_PENDING_ORDERS_PER_USER,
    corsOrigins: vars.CORS_ORIGINS?.split(',') ?? [],
  };
}

/** The database settings alone, for tools that need nothing else (the TypeORM CLI). */
export function loadDatabaseConfig(env: NodeJS.ProcessEnv = processEnvironment()): DatabaseConfig {
  const { vars, lines } = validateEnvironment(env);
  throwIfInvalid(lines);
  return databaseConfig(vars);
}

function validateEnvironment(env: NodeJS.ProcessEnv): { vars: EnvironmentVariables; lines: string[] } {
  const raw: Record<string, unknown> = {};
  for (const key of [...INTEGER_VARIABLES, ...STRING_VARIABLES]) {
    const value = env[key];
    if (value === undefined || value === '') continue;
    // Integers are converted only when they look like one, so "3.5" or "abc" fail validation.
    raw[key] = INTEGER_VARIABLES.includes(key) && /^-?\d+$/.test(value) ? Number(value) : value;
  }
  const vars = plainToInstance(EnvironmentVariables, raw);
  const lines = validateSync(vars).map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
  return { vars, lines };
}

function throwIfInvalid(lines: string[]): void {
  if (lines.length > 0) throw new InvalidConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
}

function databaseConfig(vars: EnvironmentVariables): DatabaseConfig {
  return {
    host: vars.DB_HOST,
    port: vars.DB_PORT,
    user: vars.DB_USER,
    password: vars.DB_PASSWORD,
    name: vars.DB_NAME,
    poolSize: vars.DB_POOL_SIZE,
    queryTimeoutMs: vars.DB_QUERY_TIMEOUT_MS,
  };
}
