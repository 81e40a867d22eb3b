import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';

/** The token settings every test app runs with (HS256; the secret is a test value only). */
export const TEST_AUTH_ENV = {
  AUTH_ISSUER: 'https://id.test.local',
  AUTH_AUDIENCE: 'order-service',
  AUTH_JWT_SECRET: 'test-only-secret-0123456789abcdef0123456789',
} as const;

/** A valid access token for the user, signed the way the identity provider would. */
export function tokenFor(userId: number, claims: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(userId))
    .setIssuer(TEST_AUTH_ENV.AUTH_ISSUER)
    .setAudience(TEST_AUTH_ENV.AUTH_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(TEST_AUTH_ENV.AUTH_JWT_SECRET));
}

/** `Authorization` header for the user: `http.post(url).set(await authHeader(user.id))`. */
export async function authHeader(userId: number): Promise<{ Authorization: string }> {
  return { Authorization: `Bearer ${await tokenFor(userId)}` };
}

/**
 * The same token as `tokenFor`, built synchronously (node:crypto HMAC) for request helpers that
 * return a supertest chain and so cannot await. Test-only.
 */
export function bearerSync(userId: number | string, extraClaims: Record<string, unknown> = {}): { Authorization: string } {
  const now = Math.floor(Date.now() / 1000);
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const claims = { sub: String(userId), iss: TEST_AUTH_ENV.AUTH_ISSUER, aud: TEST_AUTH_ENV.AUTH_AUDIENCE, iat: now, exp: now + 3_600, ...extraClaims };
  const signingInput = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  const signature = createHmac('sha256', TEST_AUTH_ENV.AUTH_JWT_SECRET).update(signingInput).digest('base64url');
  return { Authorization: `Bearer ${signingInput}.${signature}` };
}

/** The token's user for a path id under test: a path id that is no id (`'abc'`) is sent with user 1's token, so it is refused 400, not 401. */
export function asTokenUser(pathUserId: number | string): number {
  return typeof pathUserId === 'number' ? pathUserId : 1;
}

/** The header for a request whose body names the user (`{ userId }`); a body without a usable userId goes with user 1's token. */
export function bearerForBody(body: unknown): { Authorization: string } {
  const userId = (body as { userId?: unknown } | null)?.userId;
  return bearerSync(typeof userId === 'number' && Number.isSafeInteger(userId) && userId > 0 ? userId : 1);
}
