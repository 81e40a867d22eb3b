import { applyDecorators, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiErrors } from '../openapi/api-errors';
import { BEARER_SCHEME } from '../openapi/security-schemes';
import { ForbiddenError, RateLimitedError, UnauthenticatedError } from './auth.errors';

/** OpenAPI for a user-scoped route: the bearer scheme and the answers the access checks give. */
export function ApiUserScoped(options: { forbidden?: boolean } = {}): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiBearerAuth(BEARER_SCHEME),
    ApiErrors(UnauthenticatedError, RateLimitedError, ...(options.forbidden === false ? [] : [ForbiddenError])),
  );
}

/** The id of the user whose access token authenticated the request (user-scoped routes only). */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): number => {
  const userId = context.switchToHttp().getRequest<Request>().userId;
  if (userId === undefined) throw new Error('@CurrentUser() on a route that is not user-scoped');
  return userId;
});

/** A user may act only for themself: a path or body userId of someone else is 403 FORBIDDEN. */
export function requireSameUser(currentUserId: number, requestedUserId: number): void {
  if (currentUserId !== requestedUserId) throw new ForbiddenError();
}
