import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import type { DestinationStream, Logger } from 'pino';
import { AppModule } from './app.module';
import { deferBodyError } from './auth/request-context';
import { AppConfig } from './config/app-config';
import { prepareDatabase } from './database/prepare-database';
import { answerClientErrors } from './errors/client-error.handler';
import { GlobalExceptionFilter } from './errors/global-exception.filter';
import { notFoundHandler } from './errors/not-found.handler';
import { BoundedExpressAdapter } from './http-server';
import { logResponses } from './logging/access-log.middleware';
import { AppLogger } from './logging/app-logger';
import { ROOT_LOGGER } from './logging/logging.module';
import { assignRequestId } from './logging/request-id.middleware';
import { countResponses } from './metrics/http-metrics.middleware';
import { MetricsService } from './metrics/metrics.service';
import { setUpOpenApi } from './openapi/openapi-document';
import { guardJsonBody, guardRawRequest, REQUEST_LIMITS } from './validation/json-body.guard';
import { createValidationPipe } from './validation/validation.pipe';

export const API_PREFIX = 'api/v1';

export interface AppOptions {
  /** Where log lines go instead of stdout (tests read them). */
  logDestination?: DestinationStream;
}

/**
 * Builds the whole application (database prepared, pipes, filter, OpenAPI) without listening.
 * main.ts, the seed script and the end-to-end tests all start the app through here.
 */
export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<NestExpressApplication> {
  const serverType = await prepareDatabase(config.database);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, serverType, options.logDestination), new BoundedExpressAdapter(), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(AppLogger));
  // The server exists before listen(): main.ts and the test apps both answer parser errors this way.
  app.getHttpServer().on('clientError', answerClientErrors(app.get<string, Logger>(ROOT_LOGGER), app.get(MetricsService)));
  app.use(assignRequestId);
  // Before body parsing and routing: every answer, even a refusal of the raw request, is logged once and counted.
  app.use(logResponses(app.get<string, Logger>(ROOT_LOGGER)));
  app.use(countResponses(app.get(MetricsService)));
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  if (config.http.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.http.corsOrigins,
      methods: ['GET', 'POST'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
      exposedHeaders: ['X-Request-Id'],
      maxAge: 600,
    });
  }
  app.use(guardRawRequest);
  // inflate off: a compressed body is refused (guardRawRequest), never inflated.
  app.useBodyParser('json', { limit: REQUEST_LIMITS.bodyBytes, inflate: false });
  app.use(guardJsonBody);
  // Last of the body handling: a refused body is answered after authentication (AccessGuard).
  app.use(deferBodyError);
  app.set('query parser', 'simple');
  app.disable('x-powered-by');
  // API responses are not cached by validators; hashing every body for an ETag is wasted work.
  app.set('etag', false);
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new GlobalExceptionFilter());
  setUpOpenApi(app, API_PREFIX);
  await app.init();
  app.use(notFoundHandler);
  return app;
}
