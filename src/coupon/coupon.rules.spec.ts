import { CouponNotUsableError } from './coupon.errors';
import { expiresAtFor, OwnedCouponStatus, ownedCouponStatus, requireUsableCoupon } from './coupon.rules';
import { UserCouponStatus } from './entities/user-coupon.entity';

const now = new Date('2026-11-25T10:00:00.000Z');
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);

describe('coupon rules', () => {
  describe(expiresAtFor.name, () => {
    it('adds whole days of 24 hours', () => {
      expect(expiresAtFor(new Date('2026-11-25T10:00:00.123Z'), 30)).toEqual(new Date('2026-12-25T10:00:00.123Z'));
      expect(expiresAtFor(new Date('2026-12-31T23:59:59.999Z'), 365)).toEqual(new Date('2027-12-31T23:59:59.999Z'));
    });
  });

  describe(ownedCouponStatus.name, () => {
    it('is AVAILABLE until the expiry instant, EXPIRED from it on', () => {
      expect(ownedCouponStatus({ status: UserCouponStatus.AVAILABLE, expiresAt: at(1) }, now)).toBe(OwnedCouponStatus.AVAILABLE);
      expect(ownedCouponStatus({ status: UserCouponStatus.AVAILABLE, expiresAt: at(0) }, now)).toBe(OwnedCouponStatus.EXPIRED);
      expect(ownedCouponStatus({ status: UserCouponStatus.AVAILABLE, expiresAt: at(-1) }, now)).toBe(OwnedCouponStatus.EXPIRED);
    });

    it('stays USED whatever the clock says', () => {
      expect(ownedCouponStatus({ status: UserCouponStatus.USED, expiresAt: at(1) }, now)).toBe(OwnedCouponStatus.USED);
      expect(ownedCouponStatus({ status: UserCouponStatus.USED, expiresAt: at(-1) }, now)).toBe(OwnedCouponStatus.USED);
    });
  });

  describe(requireUsableCoupon.name, () => {
    it('returns a held, AVAILABLE, unexpired coupon', () => {
      const held = { status: UserCouponStatus.AVAILABLE, expiresAt: at(1) };
      expect(requireUsableCoupon(held, 1, 2, now)).toBe(held);
    });

    it.each([
      ['not held', null, /does not hold/],
      ['used', { status: UserCouponStatus.USED, expiresAt: at(1) }, /already used/],
      ['expired', { status: UserCouponStatus.AVAILABLE, expiresAt: at(0) }, /expired/],
    ])('refuses a coupon that is %s with COUPON_NOT_USABLE', (_case, held, reason) => {
      expect(() => requireUsableCoupon(held, 1, 2, now)).toThrow(CouponNotUsableError);
      expect(() => requireUsableCoupon(held, 1, 2, now)).toThrow(reason);
    });
  });
});
