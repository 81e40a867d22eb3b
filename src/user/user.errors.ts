import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';

export class UserNotFoundError extends DomainError {
  readonly code = 'USER_NOT_FOUND';
  readonly status = HttpStatus.NOT_FOUND;

  constructor(userId: number) {
    super(`user ${userId} does not exist`);
  }
}
