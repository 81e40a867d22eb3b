import type { NextFunction, Request, Response } from 'express';
import { whenResponseDone } from '../logging/response-done';
import { MetricsService } from './metrics.service';

// The methods a client of this API sends; Node's parser accepts ~46, each would be a series of its own.
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Times every request, mounted first like the access log so answers given before a controller are
 * counted too. The route label is the matched route pattern, never the raw URL; requests that
 * matched none (rejected before routing, or unknown paths) are `unmatched`. Any other method is `other`.
 */
export function countResponses(metrics: MetricsService) {
  return (request: Request, response: Response, next: NextFunction): void => {
    whenResponseDone(response, ({ statusCode, durationMs }) => {
      const route = (request.route as { path?: string } | undefined)?.path;
      metrics.httpRequestDuration.observe(
        { method: KNOWN_METHODS.has(request.method) ? request.method : 'other', route: route === undefined ? 'unmatched' : `${request.baseUrl}${route}`, status_code: statusCode },
        durationMs / 1_000,
      );
    });
    next();
  };
}
