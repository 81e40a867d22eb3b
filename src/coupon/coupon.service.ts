import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { UserNotFoundError } from '../user/user.errors';
import { UserRepository } from '../user/user.repository';
import { CouponIssueBatcher } from './coupon-issue-batcher';
import { CouponNotFoundError, CouponNotUsableError } from './coupon.errors';
import { CouponRepository, HeldCoupon, NewCoupon } from './coupon.repository';
import { OwnedCouponStatus, ownedCouponStatus, requireUsableCoupon } from './coupon.rules';
import { Coupon } from './entities/coupon.entity';

/** A held coupon as its owner sees it: EXPIRED derived from the clock at read time. */
export type OwnedCoupon = Omit<HeldCoupon, 'status'> & { status: OwnedCouponStatus };

@Injectable()
export class CouponService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly coupons: CouponRepository,
    private readonly users: UserRepository,
    private readonly issuer: CouponIssueBatcher,
  ) {}

  // Per instance, never stale: a coupon's terms are fixed at creation.
  private readonly terms = new Map<number, Coupon>();

  createCoupon(coupon: NewCoupon): Promise<Coupon> {
    return this.coupons.create(this.dataSource.manager, { ...coupon, name: coupon.name.trim() });
  }

  async getCoupon(couponId: number): Promise<Coupon> {
    const coupon = await this.coupons.findById(this.dataSource.manager, couponId);
    if (!coupon) throw new CouponNotFoundError(couponId);
    return coupon;
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
    if (!(await this.users.exists(manager, userId))) throw new UserNotFoundError(userId);
    const now = new Date();
    const held = await this.coupons.findHeldCouponsByUser(manager, userId);
    return held.map((coupon) => ({ ...coupon, status: ownedCouponStatus(coupon, now) }));
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

  /** The coupon as created (terms fixed), read once per instance. */
  private async couponTerms(couponId: number): Promise<Coupon> {
    const known = this.terms.get(couponId);
    if (known) return known;
    const coupon = await this.getCoupon(couponId);
    this.terms.set(couponId, coupon);
    return coupon;
  }
}
