import { HttpStatus } from '@nestjs/common';

/**
 * An expected failure of a use case. The global filter turns it into the contract's error body:
 * `{ statusCode, code, message }`. Each module declares its own subclasses in `<module>.errors.ts`.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly status: HttpStatus;
  readonly details?: string[];

  constructor(message: string, details?: string[]) {
    // A refusal is an answer, not a fault: its stack is never logged, and capturing one through
    // Nest's and Express's frames was ~3% of a sold-out answer's CPU (bench profile).
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = new.target.name;
    this.details = details;
  }
}

export class ValidationFailedError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  readonly status = HttpStatus.BAD_REQUEST;
}

export class UnauthorizedError extends DomainError {
  readonly code = 'UNAUTHORIZED';
  readonly status = HttpStatus.UNAUTHORIZED;
}
