import { applyDecorators, CanActivate, ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { ROUTE_ACCESS, RouteAccess } from '../auth/access.decorators';
import { AppConfig } from '../config/app-config';
import { UnauthorizedError } from '../errors/domain-error';
import { ErrorResponseDto } from '../errors/error-response.dto';

/** Admin endpoints need `X-Admin-Key` equal to `ADMIN_API_KEY`; with no key configured they are closed. */
@Injectable()
export class AdminKeyGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(config: AppConfig) {
    this.expected = config.adminApiKey === undefined ? undefined : Buffer.from(config.adminApiKey);
  }

  canActivate(context: ExecutionContext): boolean {
    const given = context.switchToHttp().getRequest<Request>().header('x-admin-key');
    const givenBuffer = given === undefined ? undefined : Buffer.from(given);
    if (this.expected && givenBuffer && givenBuffer.length === this.expected.length && timingSafeEqual(givenBuffer, this.expected)) {
      return true;
    }
    throw new UnauthorizedError('a valid X-Admin-Key header is required');
  }
}

export const ADMIN_KEY_SCHEME = 'admin-key';

/** An admin route: X-Admin-Key instead of a user's access token. */
export function AdminOnly(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ROUTE_ACCESS, 'admin' satisfies RouteAccess),
    UseGuards(AdminKeyGuard),
    ApiSecurity(ADMIN_KEY_SCHEME),
    ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'UNAUTHORIZED: missing or wrong admin key' }),
  );
}
