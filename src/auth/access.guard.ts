import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { ROUTE_ACCESS, RouteAccess } from '../routing/route-access';
import { RateLimitedError, SigningKeysUnavailableError, UnauthenticatedError } from './auth.errors';
import { AuthMetrics } from './auth.metrics';
import { readBearerToken } from './authorization-header';
import { UserRateLimiter } from './rate-limiter';
import { InvalidTokenError, KeysUnavailableError, TokenVerifier } from './token-verifier';

/**
 * The one global guard. On a user-scoped route (any route not marked `@Public()` or admin) it
 * marks the answer `Cache-Control: no-store`, authenticates the Bearer token (401) and applies the
 * per-user rate limit (429); on every route
 * it then raises a body error the parser found (400/413/415, see deferBodyError). Ownership (403)
 * is checked by the handlers, after validation.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly reflector: Reflector,
    private readonly adapterHost: HttpAdapterHost,
    private readonly verifier: TokenVerifier,
    private readonly metrics: AuthMetrics,
    private readonly rateLimiter: UserRateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [context.getHandler(), context.getClass()]);
    if (access === undefined) {
      const response = context.switchToHttp().getResponse<Response>();
      // A user's answers (and refusals) are theirs alone: no shared cache keeps them.
      response.setHeader('Cache-Control', 'no-store');
      request.userId = await this.authenticate(request, response);
      await this.applyRateLimit(request.userId, response);
    }
    if (request.deferredBodyError !== undefined) throw this.adapterHost.httpAdapter.mapException(request.deferredBodyError);
    return true;
  }

  private async authenticate(request: Request, response: Response): Promise<number> {
    const header = readBearerToken(request.header('authorization'));
    if ('failure' in header) {
      const messages = {
        missing: 'an access token is required: Authorization: Bearer <token>',
        other_scheme: 'the Authorization header must use the Bearer scheme',
        malformed: 'the Authorization header is not "Bearer <token>"',
      };
      // Only a Bearer header carried a token (RFC 6750 §3: no error code when none was sent).
      return this.refuse(response, header.failure, messages[header.failure], header.failure === 'malformed');
    }
    const { token } = header;
    try {
      return await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        this.logger.warn({ requestId: request.id, reason: error.reason }, `access token refused: ${error.message}`);
        return this.refuse(response, error.reason, error.message, true);
      }
      if (error instanceof KeysUnavailableError) {
        this.metrics.failures.inc({ reason: 'keys_unavailable' });
        this.logger.warn({ requestId: request.id, err: error.cause }, error.message);
        throw new SigningKeysUnavailableError();
      }
      throw error;
    }
  }

  private refuse(response: Response, reason: string, message: string, tokenSent = false): never {
    this.metrics.failures.inc({ reason });
    response.setHeader('WWW-Authenticate', tokenSent ? 'Bearer error="invalid_token"' : 'Bearer');
    throw new UnauthenticatedError(message);
  }

  private async applyRateLimit(userId: number, response: Response): Promise<void> {
    const decision = await this.rateLimiter.consume(userId);
    if (decision.allowed) return;
    this.metrics.rateLimited.inc();
    response.setHeader('Retry-After', String(decision.retryAfterSeconds));
    throw new RateLimitedError(this.rateLimiter.perSecond);
  }
}
