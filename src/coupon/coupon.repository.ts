import { Injectable } from '@nestjs/common';
import { EntityManager, MoreThan } from 'typeorm';
import { Coupon, DiscountType } from './entities/coupon.entity';
import { UserCoupon, UserCouponStatus } from './entities/user-coupon.entity';

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

@Injectable()
export class CouponRepository {
  async create(manager: EntityManager, coupon: NewCoupon): Promise<Coupon> {
    const result = await manager.insert(Coupon, { ...coupon, issuedQuantity: 0 });
    return manager.findOneByOrFail(Coupon, { id: Number(result.identifiers[0].id) });
  }

  findById(manager: EntityManager, id: number): Promise<Coupon | null> {
    return manager.findOneBy(Coupon, { id });
  }

  isHeld(manager: EntityManager, userId: number, couponId: number): Promise<boolean> {
    return manager.existsBy(UserCoupon, { userId, couponId });
  }

  /**
   * Inserts an AVAILABLE coupon for the user and returns its id. A second one for the same user
   * and coupon fails with a duplicate key (errno 1062) on the unique key.
   */
  async insertUserCoupon(manager: EntityManager, row: NewUserCoupon): Promise<number> {
    // updateEntity(false): every value is given, so TypeORM need not read the row back.
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(UserCoupon)
      .values({ ...row, status: UserCouponStatus.AVAILABLE, usedAt: null, orderId: null })
      .updateEntity(false)
      .execute();
    return Number((result.raw as { insertId: number }).insertId);
  }

  /**
   * Takes one unit of the coupon if any is left; false when sold out. The UPDATE locks the coupon
   * row itself and keeps it locked until the transaction ends.
   */
  async incrementIssued(manager: EntityManager, couponId: number): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(Coupon)
      .set({ issuedQuantity: () => 'issued_quantity + 1' })
      .where('id = :couponId AND issued_quantity < total_quantity', { couponId })
      .execute();
    return result.affected === 1;
  }

  /** The user's coupon with its terms, or null when the user does not hold it. No lock. */
  async findHeldCoupon(manager: EntityManager, userId: number, couponId: number): Promise<HeldCoupon | null> {
    const row = await manager.findOne(UserCoupon, { where: { userId, couponId }, relations: { coupon: true } });
    return row && toHeldCoupon(row, row.coupon!);
  }

  /** Newest first. */
  async findHeldCouponsByUser(manager: EntityManager, userId: number): Promise<HeldCoupon[]> {
    const rows = await manager.find(UserCoupon, { where: { userId }, relations: { coupon: true }, order: { id: 'DESC' } });
    return rows.map((row) => toHeldCoupon(row, row.coupon!));
  }

  /**
   * Marks the user's coupon USED by the order when it is AVAILABLE and not expired at `now`; false
   * otherwise. The UPDATE locks the user_coupons row itself; the hot coupons row is not touched.
   */
  async markUsedIfUsable(manager: EntityManager, userId: number, couponId: number, orderId: number, now: Date): Promise<boolean> {
    const result = await manager.update(
      UserCoupon,
      { userId, couponId, status: UserCouponStatus.AVAILABLE, expiresAt: MoreThan(now) },
      { status: UserCouponStatus.USED, usedAt: now, orderId },
    );
    return result.affected === 1;
  }
}

function toHeldCoupon(row: UserCoupon, coupon: Coupon): HeldCoupon {
  return {
    userCouponId: row.id,
    userId: row.userId,
    couponId: row.couponId,
    name: coupon.name,
    discountType: coupon.discountType,
    discountValue: coupon.discountValue,
    status: row.status,
    issuedAt: row.issuedAt,
    expiresAt: row.expiresAt,
    usedAt: row.usedAt,
    orderId: row.orderId,
  };
}
