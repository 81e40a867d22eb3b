import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { execute, selectOne } from '../database/sql';
import { HeldCoupon, NewCoupon, NewUserCoupon } from './coupon.types';
import { Coupon } from './entities/coupon.entity';
import { UserCoupon, UserCouponStatus } from './entities/user-coupon.entity';

@Injectable()
export class CouponRepository {
  async create(manager: EntityManager, coupon: NewCoupon): Promise<Coupon> {
    const result = await manager.insert(Coupon, { ...coupon, issuedQuantity: 0 });
    return manager.findOneByOrFail(Coupon, { id: Number(result.identifiers[0].id) });
  }

  findById(manager: EntityManager, id: number): Promise<Coupon | null> {
    return selectOne(
      manager,
      `SELECT id, name, discount_type AS discountType, discount_value AS discountValue, total_quantity AS totalQuantity,
              issued_quantity AS issuedQuantity, valid_days AS validDays, created_at AS createdAt
         FROM coupons WHERE id = ?`,
      [id],
    );
  }

  /**
   * Inserts an AVAILABLE coupon for the user and returns its id. A second one for the same user
   * and coupon fails with a duplicate key (errno 1062) on the unique key.
   */
  async insertUserCoupon(manager: EntityManager, row: NewUserCoupon): Promise<number> {
    const result = await execute(
      manager,
      'INSERT INTO user_coupons (user_id, coupon_id, status, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      [row.userId, row.couponId, UserCouponStatus.AVAILABLE, row.issuedAt, row.expiresAt],
    );
    return result.insertId;
  }

  /**
   * Takes one unit of the coupon if any is left; false when sold out. The UPDATE locks the coupon
   * row itself and keeps it locked until the transaction ends.
   */
  async incrementIssued(manager: EntityManager, couponId: number): Promise<boolean> {
    const result = await execute(manager, 'UPDATE coupons SET issued_quantity = issued_quantity + 1 WHERE id = ? AND issued_quantity < total_quantity', [
      couponId,
    ]);
    return result.affectedRows === 1;
  }

  /** The user's coupon with its terms, or null when the user does not hold it. No lock. */
  findHeldCoupon(manager: EntityManager, userId: number, couponId: number): Promise<HeldCoupon | null> {
    return selectOne(
      manager,
      `SELECT u.id AS userCouponId, u.user_id AS userId, u.coupon_id AS couponId, c.name, c.discount_type AS discountType,
              c.discount_value AS discountValue, u.status, u.issued_at AS issuedAt, u.expires_at AS expiresAt,
              u.used_at AS usedAt, u.order_id AS orderId
         FROM user_coupons u JOIN coupons c ON c.id = u.coupon_id
        WHERE u.user_id = ? AND u.coupon_id = ?`,
      [userId, couponId],
    );
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
    const result = await execute(
      manager,
      'UPDATE user_coupons SET status = ?, used_at = ?, order_id = ? WHERE user_id = ? AND coupon_id = ? AND status = ? AND expires_at > ?',
      [UserCouponStatus.USED, now, orderId, userId, couponId, UserCouponStatus.AVAILABLE, now],
    );
    return result.affectedRows === 1;
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
