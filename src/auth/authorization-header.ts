// RFC 6750 b64token
const TOKEN68 = /^[A-Za-z0-9._~+/-]+=*$/;

export type HeaderFailure = 'missing' | 'other_scheme' | 'malformed';

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive, RFC 7235), or why there is none. */
export function readBearerToken(header: string | undefined): { token: string } | { failure: HeaderFailure } {
  if (header === undefined || header.trim() === '') return { failure: 'missing' };
  const [scheme, token, ...rest] = header.trim().split(/ +/);
  if (scheme.toLowerCase() !== 'bearer') return { failure: 'other_scheme' };
  if (token === undefined || rest.length > 0 || !TOKEN68.test(token)) return { failure: 'malformed' };
  return { token };
}
