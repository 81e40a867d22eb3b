import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { publicRead } from '../database/read-replicas';
import { UserService } from '../user/user.service';
import { CouponIssueBatcher } from './coupon-issue-batcher';
import { CouponNotFoundError, CouponNotUsableError } from './coupon.errors';
import { CouponRepository } from './coupon.repository';
import { ownedCouponStatus, requireUsableCoupon } from './coupon.rules';
import { HeldCoupon, NewCoupon, OwnedCoupon } from './coupon.types';
import { Coupon } from './entities/coupon.entity';

@Injectable()
export class CouponService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly coupons: CouponRepository,
    private readonly users: UserService,
    private readonly issuer: CouponIssueBatcher,
  ) {}

  // Per instance, never stale: a coupon's terms are fixed at creation.
  private readonly terms = new Map<number, Coupon>();

  createCoupon(coupon: NewCoupon): Promise<Coupon> {
    return this.coupons.create(this.dataSource.manager, coupon);
  }

  /** GET /coupons/{id}, a public read: may come from a read replica, so `issuedQuantity` may lag. */
  async getCoupon(couponId: number): Promise<Coupon> {
    return requireCoupon(await publicRead(this.dataSource, (manager) => this.coupons.findById(manager, couponId)), couponId);
  }

  /**
   * First come, first served, settled in batches per coupon (see CouponIssueBatcher). A coupon's
   * terms never change once created, so each instance reads them once.
   */
  async issueCoupon(couponId: number, userId: number): Promise<HeldCoupon> {
    return this.issuer.issue(await this.couponTerms(couponId), userId);
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

  /**
   * For a refund, inside its transaction: the coupon the order used is AVAILABLE again, with its own
   * expiresAt (past it, it reads EXPIRED) and no usedAt.
   */
  async giveBack(manager: EntityManager, userId: number, couponId: number, orderId: number): Promise<void> {
    // The order was paid with it, so exactly this row is USED by it; anything else is a broken invariant.
    if (!(await this.coupons.markAvailableAgain(manager, userId, couponId, orderId))) {
      throw new Error(`coupon ${couponId} of user ${userId} is not used by order ${orderId}`);
    }
  }

  /** The coupon as created (terms fixed), read once per instance, from the primary (a coupon just created is there). */
  private async couponTerms(couponId: number): Promise<Coupon> {
    const known = this.terms.get(couponId);
    if (known) return known;
    const coupon = requireCoupon(await this.coupons.findById(this.dataSource.manager, couponId), couponId);
    this.terms.set(couponId, coupon);
    return coupon;
  }
}

function requireCoupon(coupon: Coupon | null, couponId: number): Coupon {
  if (!coupon) throw new CouponNotFoundError(couponId);
  return coupon;
}
