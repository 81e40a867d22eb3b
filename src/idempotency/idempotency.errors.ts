import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import type { ErrorResponseDto } from '../errors/error-response.dto';

export class IdempotencyKeyReusedError extends DomainError {
  static example = () => new IdempotencyKeyReusedError();
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  readonly status = HttpStatus.UNPROCESSABLE_ENTITY;

  constructor() {
    super('this Idempotency-Key was already used with a different request');
  }
}

export class IdempotencyKeyInUseError extends DomainError {
  static example = () => new IdempotencyKeyInUseError();
  readonly code = 'IDEMPOTENCY_KEY_IN_USE';
  readonly status = HttpStatus.CONFLICT;

  constructor() {
    super('a request with this Idempotency-Key is still being processed; retry later');
  }
}

/** A refusal stored under an Idempotency-Key, answered again exactly as the first time. */
export class ReplayedRefusalError extends DomainError {
  readonly code: string;
  readonly status: HttpStatus;

  constructor(status: number, body: Pick<ErrorResponseDto, 'code' | 'message' | 'details'>) {
    super(body.message, body.details);
    this.code = body.code;
    this.status = status;
  }
}
