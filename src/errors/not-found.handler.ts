import type { Request, Response } from 'express';
import { ErrorResponseDto } from './error-response.dto';

/** Last in the chain: answers any path outside the API prefix that no route matched. */
export function notFoundHandler(request: Request, response: Response): void {
  const body: ErrorResponseDto = {
    statusCode: 404,
    code: 'NOT_FOUND',
    message: `no route for ${request.method} ${request.path}`,
    requestId: request.id === undefined ? undefined : String(request.id),
  };
  response.locals.errorCode = body.code;
  response.status(404).json(body);
}
