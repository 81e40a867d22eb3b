import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';

/** Who may call a route. Routes without it are user-scoped: they need a user's access token. */
export const ROUTE_ACCESS = 'routeAccess';
export type RouteAccess = 'public' | 'admin';

/** A route anyone may call without a token; a token that is sent is ignored. */
export function Public(): MethodDecorator & ClassDecorator {
  // An empty security requirement: no credentials (OpenAPI).
  return applyDecorators(SetMetadata(ROUTE_ACCESS, 'public' satisfies RouteAccess), ApiSecurity({}));
}
