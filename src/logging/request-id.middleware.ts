import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const CLIENT_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Runs first, before body parsing, so even a request rejected by the parser has an id in its
 * log line and error body. A client's sane X-Request-Id is kept; the id is echoed back.
 */
export function assignRequestId(request: Request, response: Response, next: NextFunction): void {
  const given = request.header('x-request-id');
  const id = given !== undefined && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
  request.id = id;
  response.setHeader('X-Request-Id', id);
  next();
}
