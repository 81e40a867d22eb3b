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
