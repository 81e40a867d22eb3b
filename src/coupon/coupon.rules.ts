import { CouponNotUsableError } from './coupon.errors';
import { UserCouponStatus } from './entities/user-coupon.entity';

export const MAX_FIXED_DISCOUNT = 100_000_000;
export const MAX_PERCENT_DISCOUNT = 100;
export const MAX_TOTAL_QUANTITY = 10_000_000;
export const MAX_VALID_DAYS = 365;

const DAY_MS = 86_400_000;

/** What a user's coupon looks like from outside: EXPIRED is not stored, it is read off the clock. */
export enum OwnedCouponStatus {
  AVAILABLE = 'AVAILABLE',
  USED = 'USED',
  EXPIRED = 'EXPIRED',
}

export function expiresAtFor(issuedAt: Date, validDays: number): Date {
  return new Date(issuedAt.getTime() + validDays * DAY_MS);
}

export function ownedCouponStatus(coupon: { status: UserCouponStatus; expiresAt: Date }, now: Date): OwnedCouponStatus {
  if (coupon.status === UserCouponStatus.USED) return OwnedCouponStatus.USED;
  return coupon.expiresAt > now ? OwnedCouponStatus.AVAILABLE : OwnedCouponStatus.EXPIRED;
}

/**
 * Returns the user's coupon when it can be applied at `now` (held, AVAILABLE, not expired);
 * otherwise throws COUPON_NOT_USABLE. `held` is what CouponRepository.findHeldCoupon… returned.
 */
export function requireUsableCoupon<T extends { status: UserCouponStatus; expiresAt: Date }>(
  held: T | null,
  userId: number,
  couponId: number,
  now: Date,
): T {
  if (!held) throw new CouponNotUsableError(couponId, userId, 'the user does not hold it');
  const status = ownedCouponStatus(held, now);
  if (status === OwnedCouponStatus.USED) throw new CouponNotUsableError(couponId, userId, 'it is already used');
  if (status === OwnedCouponStatus.EXPIRED) throw new CouponNotUsableError(couponId, userId, 'it has expired');
  return held;
}
