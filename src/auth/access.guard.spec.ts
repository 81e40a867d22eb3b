import { ExecutionContext, Logger } from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { SignJWT } from 'jose';
import type { Request, Response } from 'express';
import { ValidationFailedError } from '../errors/domain-error';
import { MetricsService } from '../metrics/metrics.service';
import { AccessGuard } from './access.guard';
import { Public } from '../routing/route-access';
import { RateLimitedError, UnauthenticatedError } from './auth.errors';
import { AuthMetrics } from './auth.metrics';
import { UserRateLimiter } from './rate-limiter';
import { TokenVerifier } from './token-verifier';

const auth = { issuer: 'https://id.example', audience: 'orders', jwtSecret: 's'.repeat(40), jwksUrl: undefined, userIdClaim: 'sub' };

class Routes {
  userScoped(): void {}
  @Public() open(): void {}
}

describe(AccessGuard.name, () => {
  const metrics = new MetricsService();
  const authMetrics = new AuthMetrics(metrics);
  const sut = new AccessGuard(
    new Reflector(),
    { httpAdapter: { mapException: (error: unknown) => error } } as unknown as HttpAdapterHost,
    new TokenVerifier(auth),
    authMetrics,
    new UserRateLimiter({ perSecond: 2, redisUrl: undefined }, authMetrics),
  );

  function call(handler: keyof Routes, headers: Record<string, string> = {}, extra: Partial<Request> = {}) {
    const request = { id: 'req-1', header: (name: string) => headers[name.toLowerCase()], ...extra } as unknown as Request;
    const responseHeaders: Record<string, string> = {};
    const response = { setHeader: (name: string, value: string) => (responseHeaders[name] = value) } as unknown as Response;
    const context = {
      switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
      getHandler: () => Routes.prototype[handler],
      getClass: () => Routes,
    } as unknown as ExecutionContext;
    return { result: sut.canActivate(context), request, responseHeaders };
  }
  const sign = (sub: string, secret = auth.jwtSecret) =>
    new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuer(auth.issuer).setAudience(auth.audience).setExpirationTime('5m').sign(new TextEncoder().encode(secret));

  it("puts the token's user on the request", async () => {
    const { result, request } = call('userScoped', { authorization: `Bearer ${await sign('31')}` });
    await expect(result).resolves.toBe(true);
    expect(request.userId).toBe(31);
  });

  it('logs a refused token with its reason, never the token, and counts it', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const token = await sign('32', 'another-secret-that-is-long-enough-000');
    const { result, responseHeaders } = call('userScoped', { authorization: `Bearer ${token}` });

    await expect(result).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(responseHeaders['WWW-Authenticate']).toBe('Bearer error="invalid_token"');
    expect(warn).toHaveBeenCalledWith({ requestId: 'req-1', reason: 'bad_signature' }, expect.any(String));
    const logged = JSON.stringify(warn.mock.calls);
    for (const part of token.split('.')) expect(logged).not.toContain(part);
    expect(await metrics.registry.getSingleMetricAsString('auth_failures_total')).toMatch(/reason="bad_signature"} 1/);
    warn.mockRestore();
  });

  it('answers 401 before a body error the parser kept, and the body error after a good token', async () => {
    const bodyError = new ValidationFailedError('body is not valid JSON');
    await expect(call('userScoped', {}, { deferredBodyError: bodyError }).result).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(call('userScoped', { authorization: `Bearer ${await sign('33')}` }, { deferredBodyError: bodyError }).result).rejects.toBe(bodyError);
    await expect(call('open', {}, { deferredBodyError: bodyError }).result).rejects.toBe(bodyError);
  });

  it('lets public routes through without a token', async () => {
    const { result, request } = call('open', { authorization: 'Bearer junk' });
    await expect(result).resolves.toBe(true);
    expect(request.userId).toBeUndefined();
  });

  it('limits each user to the configured requests per second, with Retry-After', async () => {
    const header = { authorization: `Bearer ${await sign('34')}` };
    await expect(call('userScoped', header).result).resolves.toBe(true);
    await expect(call('userScoped', header).result).resolves.toBe(true);
    const third = call('userScoped', header);
    await expect(third.result).rejects.toBeInstanceOf(RateLimitedError);
    expect(third.responseHeaders['Retry-After']).toBe('1');
    await expect(call('userScoped', { authorization: `Bearer ${await sign('35')}` }).result).resolves.toBe(true);
  });
});
