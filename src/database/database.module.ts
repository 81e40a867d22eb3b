import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { boundPoolAcquire } from './bounded-pool';
import { databaseOptions, ServerType } from './database-options';
import { TransactionRunner } from './transaction-runner';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(serverType: ServerType): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => databaseOptions(config.database, serverType),
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options!).initialize();
            boundPoolAcquire(dataSource, serverType, options!.maxQueryExecutionTime!);
            return dataSource;
          },
        }),
      ],
      providers: [TransactionRunner],
      exports: [TransactionRunner],
    };
  }
}
