import type { OwnedCouponStatus } from './coupon.rules';
import { DiscountType } from './entities/coupon.entity';
import type { UserCouponStatus } from './entities/user-coupon.entity';

// The enum is declared with the column it types; other modules take it from here.
export { DiscountType };

export interface NewCoupon {
  name: string;
  discountType: DiscountType;
  discountValue: number;
  totalQuantity: number;
  validDays: number;
}

export interface NewUserCoupon {
  userId: number;
  couponId: number;
  issuedAt: Date;
  expiresAt: Date;
}

/** A user asking for a coupon as the database knows them: absent from a lookup means no such user. */
export interface IssueCandidate {
  userId: number;
  holds: boolean;
}

/** A coupon a user holds: the user_coupons row with the coupon's terms. `status` is the stored one. */
export interface HeldCoupon {
  userCouponId: number;
  userId: number;
  couponId: number;
  name: string;
  discountType: DiscountType;
  discountValue: number;
  status: UserCouponStatus;
  issuedAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  orderId: number | null;
}

/** A held coupon as its owner sees it: EXPIRED derived from the clock at read time. */
export type OwnedCoupon = Omit<HeldCoupon, 'status'> & { status: OwnedCouponStatus };
