import { QueryFailedError, QueryRunner } from 'typeorm';
import { CouponNotUsableError } from '../../src/coupon/coupon.errors';
import { CouponService } from '../../src/coupon/coupon.service';
import { DiscountType } from '../../src/coupon/coupon.types';
import { ServiceModule, startServiceModule } from '../support/service-module';

/** What orders (requireUsable) and payments (useCoupon) ask of a held coupon, inside their own transactions. */
describe('CouponService: a held coupon for orders and payments (service, real database)', () => {
  let s: ServiceModule;
  let sut: CouponService;

  beforeAll(async () => {
    s = await startServiceModule();
    sut = s.get(CouponService);
  });

  afterAll(async () => {
    await s.close();
  });

  async function heldCoupon() {
    const user = await s.make.user();
    const held = await s.make.heldCoupon(user.id, { name: '15% off', discountType: DiscountType.PERCENT, discountValue: 15 });
    return { userId: user.id, couponId: held.couponId, held };
  }

  /** A transaction of its own that gives up on a row lock after a second (reset before release). */
  async function impatientTransaction(): Promise<QueryRunner> {
    const runner = s.dataSource.createQueryRunner();
    await runner.connect();
    await runner.query('SET SESSION innodb_lock_wait_timeout = 1');
    await runner.startTransaction();
    return runner;
  }

  it('requireUsable returns the held coupon with its terms while AVAILABLE and before expiresAt', async () => {
    const { userId, couponId, held } = await heldCoupon();

    expect(await sut.requireUsable(s.dataSource.manager, userId, couponId, new Date())).toEqual({
      userCouponId: held.userCouponId,
      userId,
      couponId,
      name: '15% off',
      discountType: DiscountType.PERCENT,
      discountValue: 15,
      status: 'AVAILABLE',
      issuedAt: held.issuedAt,
      expiresAt: held.expiresAt,
      usedAt: null,
      orderId: null,
    });
  });

  it('requireUsable and useCoupon refuse a coupon that is not held, used or expired with COUPON_NOT_USABLE', async () => {
    const notHeld = await s.make.coupon();
    const used = await heldCoupon();
    await s.dataSource.transaction((manager) => sut.useCoupon(manager, used.userId, used.couponId, 7, new Date()));
    const expired = await heldCoupon();
    const atExpiry = expired.held.expiresAt;

    for (const [userId, couponId, now, reason] of [
      [used.userId, notHeld.id, new Date(), 'does not hold'],
      [used.userId, used.couponId, new Date(), 'already used'],
      [expired.userId, expired.couponId, atExpiry, 'expired'],
    ] as const) {
      const refusal = { code: 'COUPON_NOT_USABLE', status: 409, message: expect.stringContaining(reason) };
      await expect(sut.requireUsable(s.dataSource.manager, userId, couponId, now)).rejects.toMatchObject(refusal);
      const using = s.dataSource.transaction((manager) => sut.useCoupon(manager, userId, couponId, 8, now));
      await expect(using).rejects.toBeInstanceOf(CouponNotUsableError);
      await expect(using).rejects.toMatchObject(refusal);
    }
    expect(await s.query('SELECT status FROM user_coupons WHERE id = ?', [expired.held.userCouponId])).toEqual([{ status: 'AVAILABLE' }]);
  });

  it('useCoupon marks an AVAILABLE coupon USED by the order, once', async () => {
    const { userId, couponId } = await heldCoupon();
    const usedAt = new Date('2026-11-25T10:00:00.456Z');

    await s.dataSource.transaction((manager) => sut.useCoupon(manager, userId, couponId, 42, usedAt));
    const again = s.dataSource.transaction((manager) => sut.useCoupon(manager, userId, couponId, 43, new Date()));
    await expect(again).rejects.toMatchObject({ code: 'COUPON_NOT_USABLE', message: expect.stringContaining('already used') });

    expect(await sut.listUserCoupons(userId)).toEqual([expect.objectContaining({ status: 'USED', usedAt, orderId: 42 })]);
  });

  it('useCoupon locks the user coupon row but not the hot coupon row', async () => {
    const { userId, couponId } = await heldCoupon();
    const holder = await impatientTransaction();
    const other = await impatientTransaction();
    try {
      await sut.useCoupon(holder.manager, userId, couponId, 41, new Date());

      const blocked = await sut.useCoupon(other.manager, userId, couponId, 42, new Date()).catch((error: unknown) => error);
      expect(blocked).toBeInstanceOf(QueryFailedError);
      expect((blocked as QueryFailedError & { driverError: { errno: number } }).driverError.errno).toBe(1205);
      await other.rollbackTransaction();
      await other.startTransaction();
      // Issuing this coupon to others must not wait for a payment that uses one of its copies.
      await expect(other.query('SELECT id FROM coupons WHERE id = ? FOR UPDATE', [couponId])).resolves.toHaveLength(1);
    } finally {
      for (const runner of [holder, other]) {
        await runner.rollbackTransaction();
        await runner.query('SET SESSION innodb_lock_wait_timeout = DEFAULT');
        await runner.release();
      }
    }
  });
});
