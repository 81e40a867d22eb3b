import { randomBytes } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Connection, createConnection } from 'mysql2/promise';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.setup';
import { MockDataPlatform, MockDataPlatformOptions, startMockDataPlatform } from '../../src/mock-data-platform/mock-data-platform';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { TEST_AUTH_ENV } from './auth';

export const ADMIN_KEY = 'test-admin-key';

/** Suites fire many requests per user at once; test/access.e2e-spec.ts checks the real limits. */
export const TEST_LIMITS_ENV = { RATE_LIMIT_PER_USER_PER_SECOND: '0', MAX_PENDING_ORDERS_PER_USER: '1000' } as const;

export interface TestApp {
  app: NestExpressApplication;
  http: TestAgent;
  config: AppConfig;
  dataSource: DataSource;
  /** Runs SQL against the suite's database, for arranging and checking state. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** A database session of its own on the suite's database, e.g. to hold a row lock. */
  openSession(): Promise<Connection>;
  close(): Promise<void>;
}

/** The configuration a suite runs with: the environment's DB_*, a fresh database, quiet logs. */
export function testConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    ...process.env,
    DB_NAME: `test_${randomBytes(5).toString('hex')}`,
    ADMIN_API_KEY: ADMIN_KEY,
    ...TEST_AUTH_ENV,
    ...TEST_LIMITS_ENV,
    LOG_LEVEL: 'silent',
    ...env,
  });
}

/**
 * Starts the whole app in-process on a database of its own, created and migrated the way
 * production start-up does it; `close()` stops the app and drops the database.
 * A second instance on an existing database: pass its DB_NAME and `{ keepDatabase: true }`.
 * `logDestination` receives the log lines (with LOG_LEVEL set in `env`).
 */
export async function startTestApp(env: Record<string, string> = {}, options: { keepDatabase?: boolean; logDestination?: DestinationStream } = {}): Promise<TestApp> {
  const config = testConfig(env);
  const app = await createApp(config, { logDestination: options.logDestination });
  await app.listen(0, '127.0.0.1');
  const dataSource = app.get(DataSource);
  return {
    app,
    http: request.agent(app.getHttpServer()),
    config,
    dataSource,
    query: (sql, params) => dataSource.query(sql, params),
    openSession: () => openSession(config),
    close: async () => {
      await app.close();
      if (!options.keepDatabase) await dropDatabase(config);
    },
  };
}

/**
 * A suite's app: started before its tests (`env` may be a function, read then, e.g. for the URL of
 * a server another beforeAll started) and closed after them. Use it at the top of a describe:
 * `const t = useTestApp({ ORDER_PAYMENT_TIMEOUT_SECONDS: '1' })`.
 */
export function useTestApp(env: Record<string, string> | (() => Record<string, string>) = {}, options: Parameters<typeof startTestApp>[1] = {}): TestApp {
  const app = {} as TestApp;
  beforeAll(async () => {
    Object.assign(app, await startTestApp(typeof env === 'function' ? env() : env, options));
  });
  afterAll(async () => {
    await app.close();
  });
  return app;
}

/** A mock data platform started before a suite's tests (and its app: declare it first) and closed after them. */
export function useMockDataPlatform(options: MockDataPlatformOptions = {}): MockDataPlatform {
  const platform = {} as MockDataPlatform;
  beforeAll(async () => {
    Object.assign(platform, await startMockDataPlatform(options));
  });
  afterAll(async () => {
    await platform.close();
  });
  return platform;
}

export function openSession(config: AppConfig): Promise<Connection> {
  const { host, port, user, password, name } = config.database;
  return createConnection({ host, port, user, password, database: name });
}

export async function dropDatabase(config: AppConfig): Promise<void> {
  const { host, port, user, password, name } = config.database;
  const connection = await createConnection({ host, port, user, password });
  await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await connection.end();
}
