import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { execute, placeholders, selectOne, selectRows, valuesList } from '../database/sql';
import { HeldCoupon, IssueCandidate, NewCoupon, NewUserCoupon } from './coupon.types';
import { Coupon } from './entities/coupon.entity';
import { UserCoupon, UserCouponStatus } from './entities/user-coupon.entity';

@Injectable()
export class CouponRepository {
  async create(manager: EntityManager, coupon: NewCoupon): Promise<Coupon> {
    const { insertId } = await execute(
      manager,
      'INSERT INTO coupons (name, discount_type, discount_value, total_quantity, valid_days) VALUES (?, ?, ?, ?, ?)',
      [coupon.name, coupon.discountType, coupon.discountValue, coupon.totalQuantity, coupon.validDays],
    );
    return (await this.findById(manager, insertId))!;
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
   * Locks the coupon row until the transaction ends and returns how many units remain, or null
   * when there is no such coupon. Issuers on every instance queue here, one batch at a time.
   */
  async lockRemainingForUpdate(manager: EntityManager, couponId: number): Promise<number | null> {
    const row = await selectOne<{ remaining: number }>(
      manager,
      'SELECT total_quantity - issued_quantity AS remaining FROM coupons WHERE id = ? FOR UPDATE',
      [couponId],
    );
    return row ? Number(row.remaining) : null;
  }

  /** Which of the users exist, and which of those already hold the coupon: one query for a whole batch. */
  async findIssueCandidates(manager: EntityManager, couponId: number, userIds: number[]): Promise<IssueCandidate[]> {
    const rows = await selectRows<{ userId: number; heldId: number | null }>(
      manager,
      `SELECT u.id AS userId, h.id AS heldId
         FROM users u LEFT JOIN user_coupons h ON h.user_id = u.id AND h.coupon_id = ?
        WHERE u.id IN (${placeholders(userIds)})`,
      [couponId, ...userIds],
    );
    return rows.map((row) => ({ userId: Number(row.userId), holds: row.heldId !== null }));
  }

  /**
   * Inserts AVAILABLE coupons for the users in one statement and returns their ids by user. The ids
   * are read back rather than derived from the insert id: with interleaved auto-increment (MySQL 8's
   * default) one statement's ids need not be consecutive.
   */
  async insertUserCoupons(manager: EntityManager, rows: NewUserCoupon[]): Promise<Map<number, number>> {
    const couponId = rows[0].couponId;
    await execute(
      manager,
      `INSERT INTO user_coupons (user_id, coupon_id, status, issued_at, expires_at) VALUES ${valuesList(rows.length, 5)}`,
      rows.flatMap((row) => [row.userId, row.couponId, UserCouponStatus.AVAILABLE, row.issuedAt, row.expiresAt]),
    );
    const inserted = await selectRows<{ id: number; userId: number }>(
      manager,
      `SELECT id, user_id AS userId FROM user_coupons WHERE coupon_id = ? AND user_id IN (${placeholders(rows)})`,
      [couponId, ...rows.map((row) => row.userId)],
    );
    return new Map(inserted.map((row) => [Number(row.userId), Number(row.id)]));
  }

  /**
   * Counts `quantity` more units issued. The caller holds the row lock and checked what remains;
   * the condition only guards the invariant, so false means a bug and the caller rolls back.
   */
  async addIssued(manager: EntityManager, couponId: number, quantity: number): Promise<boolean> {
    const result = await execute(
      manager,
      'UPDATE coupons SET issued_quantity = issued_quantity + ? WHERE id = ? AND issued_quantity + ? <= total_quantity',
      [quantity, couponId, quantity],
    );
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

  /** The user's coupon used by the order is AVAILABLE again; false when no such row is USED by it. */
  async markAvailableAgain(manager: EntityManager, userId: number, couponId: number, orderId: number): Promise<boolean> {
    const result = await execute(
      manager,
      'UPDATE user_coupons SET status = ?, used_at = NULL, order_id = NULL WHERE user_id = ? AND coupon_id = ? AND order_id = ? AND status = ?',
      [UserCouponStatus.AVAILABLE, userId, couponId, orderId, UserCouponStatus.USED],
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
