import { DynamicModule, Module } from '@nestjs/common';
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
            pinoHttp: { logger },
            // Only binds the request's logger (request.log, made by logResponses) to the lines
            // logged while handling it: pino-http's own per-request middleware is not mounted.
            useExisting: true,
          }),
        }),
      ],
      providers: [AppLogger],
      exports: [AppLogger],
    };
  }
}
