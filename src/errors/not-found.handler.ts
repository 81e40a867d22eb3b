import type { Request, Response } from 'express';
import { ErrorResponseDto } from './error-response.dto';
import { RouteNotFoundError } from './http-errors';

/** Last in the chain: answers any path outside the API prefix that no route matched. */
export function notFoundHandler(request: Request, response: Response): void {
  const body: ErrorResponseDto = {
    ...new RouteNotFoundError(request.method, request.path).toBody(),
    requestId: request.id === undefined ? undefined : String(request.id),
  };
  response.locals.errorCode = body.code;
  response.status(404).json(body);
}
