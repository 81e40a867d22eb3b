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
  @IsInt() @Min(1) @Max(3_650) OUTBOX_RETENTION_DAYS = 7;
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL = 'info';
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
  'OUTBOX_RETENTION_DAYS',
];
const STRING_VARIABLES = ['DB_HOST', 'DB_USER', 'DB_PASSWORD', 'DB_NAME', 'DATA_PLATFORM_URL', 'ADMIN_API_KEY', 'LOG_LEVEL'];

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
  /** SENT outbox events are deleted this many days after delivery. */
  outboxRetentionDays: number;
  logLevel: string;
}

export class InvalidConfigError extends Error {}

/**
 * Reads and validates the environment. A bad value throws an error naming the variable;
 * an empty string counts as unset so `.env` files can leave a variable blank.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw: Record<string, unknown> = {};
  for (const key of [...INTEGER_VARIABLES, ...STRING_VARIABLES]) {
    const value = env[key];
    if (value === undefined || value === '') continue;
    // Integers are converted only when they look like one, so "3.5" or "abc" fail validation.
    raw[key] = INTEGER_VARIABLES.includes(key) && /^-?\d+$/.test(value) ? Number(value) : value;
  }

  const vars = plainToInstance(EnvironmentVariables, raw);
  const lines = validateSync(vars).map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
  if (lines.length === 0 && vars.OUTBOX_BACKOFF_MAX_MS < vars.OUTBOX_BACKOFF_BASE_MS) {
    lines.push('OUTBOX_BACKOFF_MAX_MS: must not be less than OUTBOX_BACKOFF_BASE_MS');
  }
  if (lines.length > 0) {
    throw new InvalidConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }

  return {
    port: vars.PORT,
    database: {
      host: vars.DB_HOST,
      port: vars.DB_PORT,
      user: vars.DB_USER,
      password: vars.DB_PASSWORD,
      name: vars.DB_NAME,
      poolSize: vars.DB_POOL_SIZE,
      queryTimeoutMs: vars.DB_QUERY_TIMEOUT_MS,
    },
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
    outboxRetentionDays: vars.OUTBOX_RETENTION_DAYS,
    logLevel: vars.LOG_LEVEL,
  };
}
