import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AppConfig } from '../config/app-config';
import { AccessGuard } from './access.guard';
import { AuthMetrics } from './auth.metrics';
import { UserRateLimiter } from './rate-limiter';
import { TokenVerifier } from './token-verifier';

@Module({
  providers: [
    { provide: TokenVerifier, useFactory: (config: AppConfig) => new TokenVerifier(config.auth), inject: [AppConfig] },
    AuthMetrics,
    {
      provide: UserRateLimiter,
      useFactory: (config: AppConfig, metrics: AuthMetrics) => new UserRateLimiter({ perSecond: config.limits.rateLimitPerUserPerSecond, redisUrl: config.redis.url }, metrics),
      inject: [AppConfig, AuthMetrics],
    },
    AccessGuard,
    { provide: APP_GUARD, useExisting: AccessGuard },
  ],
})
export class AuthModule {}
