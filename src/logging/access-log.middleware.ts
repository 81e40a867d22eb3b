import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { whenResponseDone } from './response-done';

/**
 * One access line per request, written when its answer is done. Mounted first, before body
 * parsing and routing, so answers given before a controller (bad JSON, 413, 415, unknown routes)
 * are logged like any other. Error answers carry their `code`. Also gives the request its logger
 * (`request.log`, the request's id, method and URL bound), which nestjs-pino uses for every line
 * logged while the request is handled.
 */
export function logResponses(logger: Logger) {
  return (request: Request, response: Response, next: NextFunction): void => {
    request.log = logger.child({ req: { id: request.id, method: request.method, url: request.originalUrl } });
    whenResponseDone(response, ({ statusCode, aborted, durationMs }) => {
      const level = statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'info';
      logger[level](
        {
          req: { id: request.id, method: request.method, url: request.originalUrl },
          res: { statusCode },
          code: errorCodeOf(response),
          responseTime: Math.round(durationMs),
        },
        aborted ? 'request aborted by the client' : 'request completed',
      );
    });
    next();
  };
}

/** What an error answer's body said its `code` was (set by whoever wrote that body). */
function errorCodeOf(response: Response): string | undefined {
  return (response.locals as { errorCode?: string }).errorCode;
}
