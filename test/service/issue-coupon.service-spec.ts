import { CouponService } from '../../src/coupon/coupon.service';
import { ServiceModule, startServiceModule } from '../support/service-module';

describe('CouponService.issueCoupon: first-come coupons (service, real database)', () => {
  let s: ServiceModule;
  let sut: CouponService;

  beforeAll(async () => {
    s = await startServiceModule();
    sut = s.get(CouponService);
  });

  afterAll(async () => {
    await s.close();
  });

  const issuedOf = async (couponId: number) => {
    const [{ issued }] = await s.query<{ issued: number }>('SELECT issued_quantity AS issued FROM coupons WHERE id = ?', [couponId]);
    const holders = await s.query('SELECT user_id FROM user_coupons WHERE coupon_id = ?', [couponId]);
    return { issued, holders: holders.length };
  };

  it('issues a unit to a user, who then holds it AVAILABLE until issuedAt + validDays', async () => {
    const user = await s.make.user();
    const coupon = await s.make.coupon({ name: '5,000 off', discountValue: 5_000, validDays: 7 });

    const held = await sut.issueCoupon(coupon.id, user.id);

    expect(held).toMatchObject({ userId: user.id, couponId: coupon.id, name: '5,000 off', discountType: 'FIXED', discountValue: 5_000, status: 'AVAILABLE' });
    expect(held.expiresAt.getTime() - held.issuedAt.getTime()).toBe(7 * 86_400_000);
    expect(await issuedOf(coupon.id)).toEqual({ issued: 1, holders: 1 });
    expect(await sut.listUserCoupons(user.id)).toEqual([expect.objectContaining({ userCouponId: held.userCouponId, status: 'AVAILABLE' })]);
  });

  it('refuses an unknown coupon, a second copy, an unknown user and a sold-out coupon, issuing nothing more', async () => {
    const [user, other] = [await s.make.user(), await s.make.user()];
    const coupon = await s.make.coupon({ totalQuantity: 1 });
    await sut.issueCoupon(coupon.id, user.id);

    await expect(sut.issueCoupon(987_654, user.id)).rejects.toMatchObject({ code: 'COUPON_NOT_FOUND' });
    const roomy = await s.make.coupon({ totalQuantity: 5 });
    await sut.issueCoupon(roomy.id, user.id);
    await expect(sut.issueCoupon(roomy.id, user.id)).rejects.toMatchObject({ code: 'COUPON_ALREADY_ISSUED' });
    await expect(sut.issueCoupon(roomy.id, 987_654)).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    await expect(sut.issueCoupon(coupon.id, other.id)).rejects.toMatchObject({ code: 'COUPON_SOLD_OUT' });

    expect(await issuedOf(coupon.id)).toEqual({ issued: 1, holders: 1 });
    expect(await issuedOf(roomy.id)).toEqual({ issued: 1, holders: 1 });
  });

  it('issues exactly the total when more users than units ask at once', async () => {
    const users = await Promise.all(Array.from({ length: 25 }, () => s.make.user()));
    const coupon = await s.make.coupon({ totalQuantity: 10 });

    const results = await Promise.allSettled(users.map((user) => sut.issueCoupon(coupon.id, user.id)));

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect(results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason.code)).toEqual(Array(15).fill('COUPON_SOLD_OUT'));
    expect(await issuedOf(coupon.id)).toEqual({ issued: 10, holders: 10 });
  });

  it('lists the coupons of an existing user only', async () => {
    await expect(sut.listUserCoupons(987_654)).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    expect(await sut.listUserCoupons((await s.make.user()).id)).toEqual([]);
  });
});
