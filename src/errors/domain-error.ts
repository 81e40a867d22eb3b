import { HttpStatus } from '@nestjs/common';
import type { ErrorResponseDto } from './error-response.dto';

/** An error body lists at most this many `details` (contract): a hostile body cannot make a large answer. */
export const MAX_ERROR_DETAILS = 20;

/**
 * An expected failure of a use case. The global filter turns it into the contract's error body:
 * `{ statusCode, code, message }`. Each module declares its own subclasses in `<module>.errors.ts`,
 * each with a static `example()` built as the service raises it: the OpenAPI document's error
 * examples come from there (`@ApiErrors(UserNotFoundError, …)`), so a code is written once.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  /** The HTTP status it is answered with. */
  abstract readonly status: number;
  readonly details?: string[];

  constructor(message: string, details?: string[]) {
    // A refusal is an answer, not a fault: its stack is never logged, and capturing one through
    // Nest's and Express's frames was ~3% of a sold-out answer's CPU (bench profile).
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = new.target.name;
    this.details = details?.slice(0, MAX_ERROR_DETAILS);
  }

  /** The contract's error body for this error (the filter adds the request id). */
  toBody(): ErrorResponseDto {
    return { statusCode: this.status, code: this.code, message: this.message, details: this.details };
  }
}

/** An error class that documents itself: `example()` is one instance as the service raises it. */
export interface DocumentedError {
  example(): DomainError;
}

export class ValidationFailedError extends DomainError {
  static example = () => new ValidationFailedError('amount must not be less than 1', ['amount must not be less than 1']);
  readonly code = 'VALIDATION_FAILED';
  readonly status = HttpStatus.BAD_REQUEST;
}

export class UnauthorizedError extends DomainError {
  static example = () => new UnauthorizedError();
  readonly code = 'UNAUTHORIZED';
  readonly status = HttpStatus.UNAUTHORIZED;

  constructor() {
    super('a valid X-Admin-Key header is required');
  }
}
