import { DiscountType } from './entities/coupon.entity';

/**
 * The discount a coupon gives on an order total, in won: the FIXED value, or the PERCENT of the
 * total rounded down, and never more than the total itself (so the amount to pay is never below 0).
 * The single place the discount rule lives; orders call it.
 */
export function discountAmount(coupon: { discountType: DiscountType; discountValue: number }, totalAmount: number): number {
  if (!Number.isSafeInteger(totalAmount) || totalAmount < 0) throw new RangeError(`totalAmount must be a non-negative safe integer, got ${totalAmount}`);
  const discount =
    coupon.discountType === DiscountType.FIXED
      ? coupon.discountValue
      : // BigInt keeps total × percent exact past 2^53; its division truncates, which is floor here.
        Number((BigInt(totalAmount) * BigInt(coupon.discountValue)) / 100n);
  return Math.min(totalAmount, discount);
}
