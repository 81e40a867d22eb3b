import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';

/** The bench runs the app with a secret of its own and signs its users' tokens with it. */
export const BENCH_AUTH_ENV = {
  AUTH_ISSUER: 'http://127.0.0.1/bench-issuer',
  AUTH_AUDIENCE: 'order-service',
  AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
};

/** One access token per bench user, signed before the timed run so signing costs the load nothing. */
export class BenchTokens {
  private readonly tokens = new Map<number, string>();
  private readonly secret = new TextEncoder().encode(BENCH_AUTH_ENV.AUTH_JWT_SECRET);

  async sign(userIds: number[]): Promise<void> {
    for (const userId of userIds) {
      if (this.tokens.has(userId)) continue;
      const token = await new SignJWT()
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(String(userId))
        .setIssuer(BENCH_AUTH_ENV.AUTH_ISSUER)
        .setAudience(BENCH_AUTH_ENV.AUTH_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('2h')
        .sign(this.secret);
      this.tokens.set(userId, token);
    }
  }

  /** JSON request headers with the user's token. */
  headers(userId: number): Record<string, string> {
    const token = this.tokens.get(userId);
    if (token === undefined) throw new Error(`no token signed for bench user ${userId}`);
    return { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  }
}
