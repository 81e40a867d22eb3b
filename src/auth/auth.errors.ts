import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';

/** No usable access token: answered 401 with a `WWW-Authenticate: Bearer` challenge. */
export class UnauthenticatedError extends DomainError {
  static example = () => new UnauthenticatedError('an access token is required: Authorization: Bearer <token>');
  readonly code = 'UNAUTHENTICATED';
  readonly status = HttpStatus.UNAUTHORIZED;
}

/** The token's user asks to act for another user. */
export class ForbiddenError extends DomainError {
  static example = () => new ForbiddenError();
  readonly code = 'FORBIDDEN';
  readonly status = HttpStatus.FORBIDDEN;

  constructor() {
    super('the access token belongs to another user');
  }
}

export class RateLimitedError extends DomainError {
  static example = () => new RateLimitedError(20);
  readonly code = 'RATE_LIMITED';
  readonly status = HttpStatus.TOO_MANY_REQUESTS;

  constructor(limitPerSecond: number) {
    super(`more than ${limitPerSecond} requests per second for this user; retry later`);
  }
}

/** The identity provider's keys cannot be fetched: the token may be good, so this is no 401. */
export class SigningKeysUnavailableError extends DomainError {
  static example = () => new SigningKeysUnavailableError();
  readonly code = 'SERVICE_UNAVAILABLE';
  readonly status = HttpStatus.SERVICE_UNAVAILABLE;

  constructor() {
    super('the access token cannot be verified right now');
  }
}
