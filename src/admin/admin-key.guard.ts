import { applyDecorators, CanActivate, ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { AppConfig } from '../config/app-config';
import { UnauthorizedError } from '../errors/domain-error';
import { ApiErrors } from '../openapi/api-errors';
import { ADMIN_KEY_SCHEME } from '../openapi/security-schemes';
import { ROUTE_ACCESS, RouteAccess } from '../routing/route-access';

/** Admin endpoints need `X-Admin-Key` equal to `ADMIN_API_KEY`; with no key configured they are closed. */
@Injectable()
export class AdminKeyGuard implements CanActivate {
  private readonly expectedDigest?: Buffer;

  constructor(config: AppConfig) {
    this.expectedDigest = config.admin.apiKey === undefined ? undefined : sha256(config.admin.apiKey);
  }

  canActivate(context: ExecutionContext): boolean {
    const given = context.switchToHttp().getRequest<Request>().header('x-admin-key');
    // Digests have one length whatever was sent, so the comparison's time tells nothing about the key's length.
    if (this.expectedDigest && given !== undefined && timingSafeEqual(sha256(given), this.expectedDigest)) return true;
    throw new UnauthorizedError();
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** An admin route: X-Admin-Key instead of a user's access token; documented in the `admin` group. */
export function AdminOnly(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ROUTE_ACCESS, 'admin' satisfies RouteAccess),
    UseGuards(AdminKeyGuard),
    ApiSecurity(ADMIN_KEY_SCHEME),
    ApiTags('admin'),
    ApiErrors(UnauthorizedError),
  );
}
