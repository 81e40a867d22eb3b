import { createVerifier, TokenError } from 'fast-jwt';
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import { AuthConfig } from '../config/app-config';

const CLOCK_TOLERANCE_SECONDS = 30;
/** What the verified-token cache may hold, counted in token characters plus each entry's own cost. */
export const TOKEN_CACHE_BUDGET = { bytes: 16 * 1024 * 1024, entries: 10_000, bytesPerEntry: 200 } as const;
const TIME_CLAIMS = ['exp', 'nbf', 'iat'] as const;

/** Why a token was refused: the `reason` label of `auth_failures_total`. */
export type TokenFailure =
  | 'malformed'
  | 'algorithm_refused'
  | 'bad_signature'
  | 'unknown_key'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'invalid_claims'
  | 'invalid_user_id';

export class InvalidTokenError extends Error {
  constructor(
    readonly reason: TokenFailure,
    message: string,
  ) {
    super(message);
  }
}

/** The identity provider's keys could not be fetched: the token may well be good, so this is no 401. */
export class KeysUnavailableError extends Error {}

export interface TokenVerifierOptions {
  /** How long an unknown `kid` waits before the JWKS is fetched again (jose's default: 30 s). */
  jwksCooldownMs?: number;
}

/**
 * Verifies access tokens as a resource server: HS256 against the shared secret with fast-jwt,
 * RS256 and ES256 against the identity provider's JWKS with jose (cached; fetched again for an
 * unknown `kid`, at most once per cool-down). With both configured the verifier is chosen by the
 * token's `alg`, so an HS256 token is never checked against a public key; with the secret alone
 * fast-jwt refuses any other `alg` itself. `none` is never accepted. Returns the user id the token
 * speaks for.
 *
 * Two libraries because jose verifies only through WebCrypto, a crypto job per token: 60–68 µs of
 * CPU for a new HS256 token against 6–8 µs with fast-jwt's synchronous node:crypto HMAC (measured,
 * Node 24). In a flash sale every request brings a user's first token, so that was ~15% of a coupon
 * request. jose keeps the JWKS side: fetching, caching and rotating remote keys.
 *
 * A verified token is remembered until its `exp` (an LRU keyed by the token string, bounded by
 * entries and by bytes, so no sequence of valid tokens, however large, grows memory past the
 * budget): a client sends the same token for many requests, and a cache hit costs a map lookup
 * instead of an HMAC or RSA verification. A JWKS key withdrawn by the provider therefore keeps its
 * already-seen tokens valid until they expire, like any cached verification. Only a token in its
 * one canonical spelling is verified (and so cached).
 */
export class TokenVerifier {
  private readonly verifyHs256?: (token: string) => JWTPayload;
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;
  private readonly verified = new LRUCache<string, number>({
    max: TOKEN_CACHE_BUDGET.entries,
    maxSize: TOKEN_CACHE_BUDGET.bytes,
    sizeCalculation: (_userId, token) => token.length + TOKEN_CACHE_BUDGET.bytesPerEntry,
  });

  constructor(
    private readonly config: AuthConfig,
    options: TokenVerifierOptions = {},
  ) {
    if (config.jwtSecret !== undefined) {
      this.verifyHs256 = createVerifier({
        key: config.jwtSecret,
        algorithms: ['HS256'],
        allowedIss: config.issuer,
        allowedAud: config.audience,
        requiredClaims: ['exp', 'iss', 'aud'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS * 1000,
      });
    }
    if (config.jwksUrl !== undefined) this.jwks = createRemoteJWKSet(new URL(config.jwksUrl), { cooldownDuration: options.jwksCooldownMs });
  }

  /** Characters of tokens the cache holds, with each entry's own cost (for the memory test). */
  get cachedBytes(): number {
    return this.verified.calculatedSize;
  }

  async verify(token: string): Promise<number> {
    const cached = this.verified.get(token);
    if (cached !== undefined) return cached;

    if (!isCanonical(token)) throw new InvalidTokenError('malformed', 'the token is not in canonical base64url');
    const payload = await this.verifySignatureAndClaims(token);
    const nowMs = Date.now();
    for (const claim of TIME_CLAIMS) {
      if (payload[claim] !== undefined && !Number.isFinite(payload[claim])) {
        throw new InvalidTokenError('invalid_claims', `the token's ${claim} claim is not a NumericDate`);
      }
    }
    if (payload.iat !== undefined && payload.iat > nowMs / 1000 + CLOCK_TOLERANCE_SECONDS) {
      throw new InvalidTokenError('not_yet_valid', 'the token was issued in the future');
    }
    const userId = parseUserId(payload[this.config.userIdClaim]);
    if (userId === undefined) throw new InvalidTokenError('invalid_user_id', `claim ${this.config.userIdClaim} is not a user id`);

    const ttlMs = (payload.exp! + CLOCK_TOLERANCE_SECONDS) * 1000 - nowMs;
    if (ttlMs > 0) this.verified.set(token, userId, { ttl: ttlMs });
    return userId;
  }

  private async verifySignatureAndClaims(token: string): Promise<JWTPayload> {
    // With the shared secret alone, fast-jwt reads the header itself and refuses any other `alg`.
    const alg = this.jwks === undefined ? 'HS256' : algorithmOf(token);
    try {
      if (alg === 'HS256' && this.verifyHs256) return this.verifyHs256(token);
      if ((alg === 'RS256' || alg === 'ES256') && this.jwks) {
        const { payload } = await jwtVerify(token, this.jwks, {
          algorithms: ['RS256', 'ES256'],
          issuer: this.config.issuer,
          audience: this.config.audience,
          requiredClaims: ['exp'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
        });
        return payload;
      }
    } catch (error) {
      throw error instanceof TokenError ? fromFastJwtError(error) : fromJoseError(error);
    }
    throw new InvalidTokenError('algorithm_refused', 'the token is signed with a refused algorithm');
  }

}

/**
 * Each part is the one base64url spelling of its bytes (RFC 7515 §2, RFC 4648 §3.5: no padding,
 * unused low bits zero, no character outside the alphabet). Otherwise one signature has four
 * spellings, each a token of its own to a cache or a deny-list.
 */
function isCanonical(token: string): boolean {
  const parts = token.split('.');
  return parts.length === 3 && parts.every((part) => Buffer.from(part, 'base64url').toString('base64url') === part);
}

function algorithmOf(token: string): string | undefined {
  try {
    return decodeProtectedHeader(token).alg;
  } catch {
    throw new InvalidTokenError('malformed', 'the token is malformed');
  }
}

/** A positive safe integer, given as a JSON integer or a decimal string. */
export function parseUserId(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  if (typeof value !== 'string' || !/^[1-9]\d{0,15}$/.test(value)) return undefined;
  const id = Number(value);
  return Number.isSafeInteger(id) ? id : undefined;
}

function fromJoseError(error: unknown): Error {
  if (error instanceof errors.JWTExpired) return new InvalidTokenError('expired', 'the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return new InvalidTokenError('wrong_issuer', 'the token has another issuer');
    if (error.claim === 'aud') return new InvalidTokenError('wrong_audience', 'the token is for another audience');
    if (error.claim === 'nbf' && error.reason === 'check_failed') return new InvalidTokenError('not_yet_valid', 'the token is not valid yet');
    return new InvalidTokenError('invalid_claims', `the token's ${error.claim} claim is missing or invalid`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new InvalidTokenError('bad_signature', 'the token signature is invalid');
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new InvalidTokenError('unknown_key', 'the token is signed with an unknown key');
  }
  // A JWKS fetch that failed, timed out or answered other than 200 (the plain JOSEError; fetch's
  // own errors are not JOSE errors).
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || !(error instanceof errors.JOSEError) || error.constructor === errors.JOSEError) {
    return new KeysUnavailableError('the signing keys cannot be fetched', { cause: error });
  }
  return new InvalidTokenError('malformed', 'the token is malformed');
}

function fromFastJwtError(error: TokenError): InvalidTokenError {
  switch (error.code) {
    case TokenError.codes.invalidAlgorithm:
      return new InvalidTokenError('algorithm_refused', 'the token is signed with a refused algorithm');
    // No signature at all is `alg: none` by another name.
    case TokenError.codes.missingSignature:
      return new InvalidTokenError('algorithm_refused', 'an unsigned token is refused');
    case TokenError.codes.invalidSignature:
      return new InvalidTokenError('bad_signature', 'the token signature is invalid');
    case TokenError.codes.expired:
      return new InvalidTokenError('expired', 'the token has expired');
    case TokenError.codes.inactive:
      return new InvalidTokenError('not_yet_valid', 'the token is not valid yet');
    case TokenError.codes.missingRequiredClaim:
    case TokenError.codes.invalidClaimType:
    case TokenError.codes.invalidClaimValue:
      return claimError(error.message);
    default:
      return new InvalidTokenError('malformed', 'the token is malformed');
  }
}

/** fast-jwt names the claim only in its message ("The iss claim value is not allowed."). */
function claimError(message: string): InvalidTokenError {
  const claim = /\b(\w+) claim/.exec(message)?.[1];
  if (claim === 'iss') return new InvalidTokenError('wrong_issuer', 'the token has another issuer');
  if (claim === 'aud') return new InvalidTokenError('wrong_audience', 'the token is for another audience');
  return new InvalidTokenError('invalid_claims', `the token's ${claim ?? 'registered'} claim is missing or invalid`);
}
