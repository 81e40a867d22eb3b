import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { MysqlError, mysqlErrno } from '../database/mysql-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { UserNotFoundError } from '../user/user.errors';
import { UserService } from '../user/user.service';
import { CouponAlreadyIssuedError, CouponNotFoundError, CouponNotUsableError, CouponSoldOutError } from './coupon.errors';
import { CouponRepository } from './coupon.repository';
import { expiresAtFor, ownedCouponStatus, requireUsableCoupon } from './coupon.rules';
import { HeldCoupon, NewCoupon, NewUserCoupon, OwnedCoupon } from './coupon.types';
import { Coupon } from './entities/coupon.entity';
import { UserCouponStatus } from './entities/user-coupon.entity';

@Injectable()
export class CouponService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly coupons: CouponRepository,
    private readonly users: UserService,
  ) {}

  // Per instance, never stale: a coupon's terms are fixed at creation and sold out is final.
  private readonly terms = new Map<number, Coupon>();
  private readonly soldOut = new Set<number>();

  createCoupon(coupon: NewCoupon): Promise<Coupon> {
    return this.coupons.create(this.dataSource.manager, { ...coupon, name: coupon.name.trim() });
  }

  async getCoupon(couponId: number): Promise<Coupon> {
    const coupon = await this.coupons.findById(this.dataSource.manager, couponId);
    if (!coupon) throw new CouponNotFoundError(couponId);
    return coupon;
  }

  /**
   * First come, first served. The coupon's terms never change once created, and a sold-out coupon
   * stays sold out (nothing gives a coupon back), so each instance remembers both: a rush on a
   * sold-out coupon is answered from memory and never reaches the database. Otherwise one
   * transaction inserts the user's coupon first — the unique key answers COUPON_ALREADY_ISSUED and
   * the foreign key USER_NOT_FOUND, before any lock on the coupon — and takes a unit last: the hot
   * coupon row is locked only from that conditional UPDATE to the COMMIT right after it.
   */
  async issueCoupon(couponId: number, userId: number): Promise<HeldCoupon> {
    const coupon = await this.couponTerms(couponId);
    if (this.soldOut.has(couponId)) throw new CouponSoldOutError(couponId);

    const issuedAt = new Date();
    const expiresAt = expiresAtFor(issuedAt, coupon.validDays);
    const userCouponId = await this.transactions.run('issueCoupon', async (tx) => {
      const id = await this.insertUserCoupon(tx, { userId, couponId, issuedAt, expiresAt });
      if (!(await this.coupons.incrementIssued(tx, couponId))) {
        this.soldOut.add(couponId);
        throw new CouponSoldOutError(couponId);
      }
      return id;
    });
    return {
      userCouponId,
      userId,
      couponId,
      name: coupon.name,
      discountType: coupon.discountType,
      discountValue: coupon.discountValue,
      status: UserCouponStatus.AVAILABLE,
      issuedAt,
      expiresAt,
      usedAt: null,
      orderId: null,
    };
  }

  async listUserCoupons(userId: number): Promise<OwnedCoupon[]> {
    const manager = this.dataSource.manager;
    await this.users.requireExists(manager, userId);
    const now = new Date();
    const held = await this.coupons.findHeldCouponsByUser(manager, userId);
    return held.map((coupon) => ({ ...coupon, status: ownedCouponStatus(coupon, now) }));
  }

  /**
   * For an order, with a plain read (no lock): the user's coupon when it can be applied at `now`,
   * or COUPON_NOT_USABLE saying why. The payment checks it again when it uses the coupon.
   */
  async requireUsable(manager: EntityManager, userId: number, couponId: number, now: Date): Promise<HeldCoupon> {
    return requireUsableCoupon(await this.coupons.findHeldCoupon(manager, userId, couponId), userId, couponId, now);
  }

  /**
   * For a payment, inside its transaction: marks the user's coupon USED by the order, or throws
   * COUPON_NOT_USABLE saying why (not held, already used, expired).
   */
  async useCoupon(manager: EntityManager, userId: number, couponId: number, orderId: number, now: Date): Promise<void> {
    if (await this.coupons.markUsedIfUsable(manager, userId, couponId, orderId, now)) return;
    requireUsableCoupon(await this.coupons.findHeldCoupon(manager, userId, couponId), userId, couponId, now);
    throw new CouponNotUsableError(couponId, userId, 'it is not available');
  }

  /** The coupon as created (terms fixed), read once per instance; remembers if it is sold out already. */
  private async couponTerms(couponId: number): Promise<Coupon> {
    const known = this.terms.get(couponId);
    if (known) return known;
    const coupon = await this.getCoupon(couponId);
    this.terms.set(couponId, coupon);
    if (coupon.issuedQuantity >= coupon.totalQuantity) this.soldOut.add(couponId);
    return coupon;
  }

  private async insertUserCoupon(tx: EntityManager, row: NewUserCoupon): Promise<number> {
    try {
      return await this.coupons.insertUserCoupon(tx, row);
    } catch (error) {
      const errno = mysqlErrno(error);
      if (errno === MysqlError.DUP_ENTRY) throw new CouponAlreadyIssuedError(row.couponId, row.userId);
      // The foreign key to users answers "does this user exist" here, without a read of its own.
      if (errno === MysqlError.NO_REFERENCED_ROW) throw new UserNotFoundError(row.userId);
      throw error;
    }
  }
}
