import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';

export class BalanceLimitExceededError extends DomainError {
  static example = () => new BalanceLimitExceededError(9_995_000, 10_000, 10_000_000);
  readonly code = 'BALANCE_LIMIT_EXCEEDED';
  readonly status = HttpStatus.CONFLICT;

  constructor(balance: number, amount: number, limit: number) {
    super(`charging ${amount} to a balance of ${balance} would pass the limit of ${limit}`);
  }
}

export class InsufficientBalanceError extends DomainError {
  static example = () => new InsufficientBalanceError(3_000, 84_000);
  readonly code = 'INSUFFICIENT_BALANCE';
  readonly status = HttpStatus.CONFLICT;

  constructor(balance: number, amount: number) {
    super(`balance ${balance} is less than the amount ${amount}`);
  }
}

/** A user's balance row is created with the user: no row, no user. */
export class UserNotFoundError extends DomainError {
  static example = () => new UserNotFoundError(1);
  readonly code = 'USER_NOT_FOUND';
  readonly status = HttpStatus.NOT_FOUND;

  constructor(userId: number) {
    super(`user ${userId} does not exist`);
  }
}
