import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';

export class CouponNotFoundError extends DomainError {
  static example = () => new CouponNotFoundError(1);
  readonly code = 'COUPON_NOT_FOUND';
  readonly status = HttpStatus.NOT_FOUND;

  constructor(couponId: number) {
    super(`coupon ${couponId} does not exist`);
  }
}

export class CouponSoldOutError extends DomainError {
  static example = () => new CouponSoldOutError(1);
  readonly code = 'COUPON_SOLD_OUT';
  readonly status = HttpStatus.CONFLICT;

  constructor(couponId: number) {
    super(`coupon ${couponId} is sold out`);
  }
}

export class CouponAlreadyIssuedError extends DomainError {
  static example = () => new CouponAlreadyIssuedError(1, 1);
  readonly code = 'COUPON_ALREADY_ISSUED';
  readonly status = HttpStatus.CONFLICT;

  constructor(couponId: number, userId: number) {
    super(`user ${userId} already holds coupon ${couponId}`);
  }
}

/** The coupon named in an order or payment is not held by the user, already used or expired. */
export class CouponNotUsableError extends DomainError {
  static example = () => new CouponNotUsableError(1, 1, 'it is not available');
  readonly code = 'COUPON_NOT_USABLE';
  readonly status = HttpStatus.CONFLICT;

  constructor(couponId: number, userId: number, reason: string) {
    super(`coupon ${couponId} cannot be used by user ${userId}: ${reason}`);
  }
}
