import { QueryFailedError, QueryRunner } from 'typeorm';
import { CouponNotUsableError } from '../src/coupon/coupon.errors';
import { CouponRepository } from '../src/coupon/coupon.repository';
import { CouponService } from '../src/coupon/coupon.service';
import { DiscountType } from '../src/coupon/entities/coupon.entity';
import { UserCouponStatus } from '../src/coupon/entities/user-coupon.entity';
import { makeCoupon, makeUser } from './support/factories';
import { authHeader } from './support/auth';
import { startTestApp, TestApp } from './support/test-app';

/** What orders and payments use, inside their own transactions, against the real database. */
describe('coupon repository for orders and payments (integration)', () => {
  let t: TestApp;
  let repository: CouponRepository;
  let service: CouponService;

  beforeAll(async () => {
    t = await startTestApp();
    repository = t.app.get(CouponRepository);
    service = t.app.get(CouponService);
  });

  afterAll(async () => {
    await t.close();
  });

  async function heldCoupon() {
    const user = await makeUser(t.http);
    const coupon = await makeCoupon(t.http, { name: '15% off', discountType: 'PERCENT', discountValue: 15 });
    const issued = await t.http.post(`/api/v1/coupons/${coupon.id}/issue`).set(await authHeader(user.id)).send({ userId: user.id }).expect(201);
    return { userId: user.id, couponId: coupon.id, userCouponId: issued.body.userCouponId as number, issued: issued.body };
  }

  /** A transaction of its own that gives up on a row lock after a second (reset before release). */
  async function impatientTransaction(): Promise<QueryRunner> {
    const runner = t.dataSource.createQueryRunner();
    await runner.connect();
    await runner.query('SET SESSION innodb_lock_wait_timeout = 1');
    await runner.startTransaction();
    return runner;
  }

  it('findHeldCoupon returns the user coupon with the coupon terms, or null', async () => {
    const { userId, couponId, userCouponId, issued } = await heldCoupon();

    expect(await repository.findHeldCoupon(t.dataSource.manager, userId, couponId)).toEqual({
      userCouponId,
      userId,
      couponId,
      name: '15% off',
      discountType: DiscountType.PERCENT,
      discountValue: 15,
      status: UserCouponStatus.AVAILABLE,
      issuedAt: new Date(issued.issuedAt),
      expiresAt: new Date(issued.expiresAt),
      usedAt: null,
      orderId: null,
    });
    const stranger = await makeUser(t.http);
    expect(await repository.findHeldCoupon(t.dataSource.manager, stranger.id, couponId)).toBeNull();
  });

  it('useCoupon locks the user coupon row but not the hot coupon row', async () => {
    const { userId, couponId } = await heldCoupon();
    const holder = await impatientTransaction();
    const other = await impatientTransaction();
    try {
      await service.useCoupon(holder.manager, userId, couponId, 41, new Date());

      const blocked = await service.useCoupon(other.manager, userId, couponId, 42, new Date()).catch((error: unknown) => error);
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

  it('useCoupon marks an AVAILABLE coupon USED by the order, once', async () => {
    const { userId, couponId } = await heldCoupon();
    const usedAt = new Date('2026-11-25T10:00:00.456Z');

    await t.dataSource.transaction((manager) => service.useCoupon(manager, userId, couponId, 42, usedAt));
    const again = t.dataSource.transaction((manager) => service.useCoupon(manager, userId, couponId, 43, new Date()));
    await expect(again).rejects.toMatchObject({ code: 'COUPON_NOT_USABLE', message: expect.stringContaining('already used') });

    expect(await repository.findHeldCoupon(t.dataSource.manager, userId, couponId)).toMatchObject({
      status: UserCouponStatus.USED,
      usedAt,
      orderId: 42,
    });
    const list = await t.http.get(`/api/v1/users/${userId}/coupons`).set(await authHeader(userId)).expect(200);
    expect(list.body.items[0]).toMatchObject({ status: 'USED', usedAt: usedAt.toISOString() });
  });

  it('useCoupon refuses a coupon that is not held, used or expired with COUPON_NOT_USABLE', async () => {
    const notHeld = await makeCoupon(t.http);
    const used = await heldCoupon();
    await t.dataSource.transaction((manager) => service.useCoupon(manager, used.userId, used.couponId, 7, new Date()));
    const expired = await heldCoupon();
    await t.query('UPDATE user_coupons SET expires_at = NOW(3) WHERE id = ?', [expired.userCouponId]);

    for (const [userId, couponId, reason] of [
      [used.userId, notHeld.id, 'does not hold'],
      [used.userId, used.couponId, 'already used'],
      [expired.userId, expired.couponId, 'expired'],
    ] as const) {
      const refused = t.dataSource.transaction((manager) => service.useCoupon(manager, userId, couponId, 8, new Date()));
      await expect(refused).rejects.toBeInstanceOf(CouponNotUsableError);
      await expect(refused).rejects.toMatchObject({ code: 'COUPON_NOT_USABLE', status: 409, message: expect.stringContaining(reason) });
    }
  });
});
