import { DynamicModule, Module } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream, Logger } from 'pino';
import { AppConfig } from '../config/app-config';
import { AppLogger } from './app-logger';
import { createRootLogger } from './root-logger';

/** Injection token of the application's pino logger (access lines are written through it). */
export const ROOT_LOGGER = 'ROOT_LOGGER';

@Module({})
export class LoggingModule {
  static forRoot(destination?: DestinationStream): DynamicModule {
    const rootLogger = { provide: ROOT_LOGGER, inject: [AppConfig], useFactory: (config: AppConfig) => createRootLogger(config.logging.level, destination) };
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          providers: [rootLogger],
          inject: [ROOT_LOGGER],
          useFactory: (logger: Logger) => ({
            // Only binds each request's id to the lines logged while handling it: the access line
            // itself is written by logResponses, mounted before everything else.
            pinoHttp: {
              logger,
              autoLogging: false,
              // The id was assigned by assignRequestId before any other middleware.
              genReqId: (request: IncomingMessage & { id?: string }) => request.id ?? 'unknown',
              serializers: {
                req: (request: { id: string; method: string; url: string }) => ({ id: request.id, method: request.method, url: request.url }),
              },
            },
          }),
        }),
      ],
      providers: [AppLogger],
      exports: [AppLogger],
    };
  }
}
