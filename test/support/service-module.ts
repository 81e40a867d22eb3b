import { DynamicModule, LoggerService, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { BalanceModule } from '../../src/balance/balance.module';
import { AppConfig } from '../../src/config/app-config';
import { CouponModule } from '../../src/coupon/coupon.module';
import { DatabaseModule } from '../../src/database/database.module';
import { prepareDatabase } from '../../src/database/prepare-database';
import { TransactionRunner } from '../../src/database/transaction-runner';
import { MetricsModule } from '../../src/metrics/metrics.module';
import { OrderModule } from '../../src/order/order.module';
import { PaymentModule } from '../../src/payment/payment.module';
import { ProductModule } from '../../src/product/product.module';
import { UserModule } from '../../src/user/user.module';
import { DomainFactory } from './domain-factory';
import { logStatements } from './statement-log';
import { dropDatabase, testConfig } from './test-app';

@Module({})
class TestConfigModule {
  static with(config: AppConfig): DynamicModule {
    return { module: TestConfigModule, global: true, providers: [{ provide: AppConfig, useValue: config }], exports: [AppConfig] };
  }
}

const silent: LoggerService = { log: () => undefined, error: () => undefined, warn: () => undefined };

export interface ServiceModule {
  module: TestingModule;
  get: TestingModule['get'];
  dataSource: DataSource;
  make: DomainFactory;
  /** Runs a use case in a transaction of its own, as its controller does without an Idempotency-Key. */
  transaction: TransactionRunner['run'];
  /** Runs SQL against the suite's database, for checking state. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** The SQL statements `work` sends, in order. */
  statementsOf(work: () => Promise<unknown>): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * The domain modules as the app wires them, on a database of their own (created and migrated like
 * production's), without HTTP and without starting the background jobs (no `init()`).
 */
export async function startServiceModule(env: Record<string, string> = {}): Promise<ServiceModule> {
  const config = testConfig(env);
  const serverType = await prepareDatabase(config.database);
  const module = await Test.createTestingModule({
    imports: [
      TestConfigModule.with(config),
      MetricsModule,
      DatabaseModule.forRoot(serverType),
      UserModule,
      BalanceModule,
      ProductModule,
      CouponModule,
      OrderModule,
      PaymentModule,
    ],
  })
    .setLogger(silent)
    .compile();
  const dataSource = module.get(DataSource);
  return {
    module,
    get: module.get.bind(module),
    dataSource,
    make: new DomainFactory(module),
    transaction: (name, work, options) => module.get(TransactionRunner).run(name, work, options),
    query: (sql, params) => dataSource.query(sql, params),
    statementsOf: async (work) => {
      const statements: string[] = [];
      const stop = logStatements(dataSource, (query) => void statements.push(query.replace(/\s+/g, ' ')));
      try {
        await work();
      } finally {
        stop();
      }
      return statements;
    },
    close: async () => {
      await module.close();
      await dropDatabase(config);
    },
  };
}
