import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';

export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  readonly status = HttpStatus.UNPROCESSABLE_ENTITY;

  constructor() {
    super('this Idempotency-Key was already used with a different request');
  }
}

export class IdempotencyKeyInUseError extends DomainError {
  readonly code = 'IDEMPOTENCY_KEY_IN_USE';
  readonly status = HttpStatus.CONFLICT;

  constructor() {
    super('a request with this Idempotency-Key is still being processed; retry later');
  }
}
