import type { NextFunction, Request, Response } from 'express';

declare module 'express-serve-static-core' {
  interface Request {
    /** The user of the verified access token; set by AccessGuard on user-scoped routes. */
    userId?: number;
    /** A body the parser or the JSON guard refused, answered by AccessGuard after authentication. */
    deferredBodyError?: unknown;
  }
}

/**
 * Express error handler placed right after the body parser and the JSON body guard: it keeps their
 * refusal (invalid JSON 400, 413, 415) on the request and lets routing go on, so that AccessGuard
 * answers 401 first on user-scoped routes and then raises the kept error (contract order:
 * 401 → 400/415 → 403 → the operation's errors).
 */
export function deferBodyError(error: unknown, request: Request, _response: Response, next: NextFunction): void {
  request.deferredBodyError = error;
  next();
}
