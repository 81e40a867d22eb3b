import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';

export class UserNotFoundError extends DomainError {
  static example = () => new UserNotFoundError(1);
  readonly code = 'USER_NOT_FOUND';
  readonly status = HttpStatus.NOT_FOUND;

  constructor(userId: number) {
    super(`user ${userId} does not exist`);
  }
}
