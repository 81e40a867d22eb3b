import { SignJWT } from 'jose';
import { AuthConfig, InvalidConfigError } from '../src/config/app-config';

/** An access token for the user, signed (HS256) with the configured secret. Development and demos only. */
export function signDevToken(auth: AuthConfig, userId: number, lifetime = '12h'): Promise<string> {
  if (auth.jwtSecret === undefined) {
    throw new InvalidConfigError('AUTH_JWT_SECRET is not set: this script signs with the shared secret (with AUTH_JWKS_URL only, tokens come from the identity provider)');
  }
  return new SignJWT({ [auth.userIdClaim]: String(userId) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(userId))
    .setIssuer(auth.issuer)
    .setAudience(auth.audience)
    .setIssuedAt()
    .setExpirationTime(lifetime)
    .sign(new TextEncoder().encode(auth.jwtSecret));
}
