import fc from 'fast-check';
import { discountAmount } from './discount';
import { DiscountType } from './entities/coupon.entity';

const fixed = (discountValue: number) => ({ discountType: DiscountType.FIXED, discountValue });
const percent = (discountValue: number) => ({ discountType: DiscountType.PERCENT, discountValue });

describe(discountAmount.name, () => {
  describe('FIXED', () => {
    it('takes the value off', () => {
      expect(discountAmount(fixed(5_000), 30_000)).toBe(5_000);
    });

    it('never takes more than the total', () => {
      expect(discountAmount(fixed(5_000), 4_999)).toBe(4_999);
      expect(discountAmount(fixed(5_000), 5_000)).toBe(5_000);
      expect(discountAmount(fixed(100_000_000), 1)).toBe(1);
    });

    it('gives nothing on a zero total', () => {
      expect(discountAmount(fixed(5_000), 0)).toBe(0);
    });
  });

  describe('PERCENT', () => {
    it('rounds the percentage down to the won', () => {
      expect(discountAmount(percent(10), 12_345)).toBe(1_234);
      expect(discountAmount(percent(1), 99)).toBe(0);
      expect(discountAmount(percent(1), 100)).toBe(1);
      expect(discountAmount(percent(99), 1)).toBe(0);
    });

    it('100 percent takes the whole total', () => {
      expect(discountAmount(percent(100), 1)).toBe(1);
      expect(discountAmount(percent(100), 5_000_000_000_000)).toBe(5_000_000_000_000);
    });

    it('gives nothing on a zero total', () => {
      expect(discountAmount(percent(50), 0)).toBe(0);
    });

    it('is exact on the largest order total (50 lines × 1,000 × 100,000,000 won)', () => {
      expect(discountAmount(percent(33), 5_000_000_000_000)).toBe(1_650_000_000_000);
      expect(discountAmount(percent(33), 4_999_999_999_999)).toBe(1_649_999_999_999);
      expect(discountAmount(percent(99), 4_999_999_999_999)).toBe(4_949_999_999_999);
    });

    it('stays exact where total × percent passes 2^53, unlike floating point', () => {
      const total = Number.MAX_SAFE_INTEGER; // 9,007,199,254,740,991
      expect(discountAmount(percent(50), total)).toBe(4_503_599_627_370_495);
      expect(discountAmount(percent(33), total)).toBe(2_972_375_754_064_527);
      expect(Math.floor((total * 33) / 100)).toBe(2_972_375_754_064_526);
    });

    it('satisfies floor(total × p / 100) for any safe total', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 1, max: 100 }), (total, p) => {
          const discount = BigInt(discountAmount(percent(p), total));
          const product = BigInt(total) * BigInt(p);
          return discount * 100n <= product && product < (discount + 1n) * 100n && discount <= BigInt(total);
        }),
      );
    });
  });

  it.each([-1, 1.5, Number.NaN, 2 ** 53])('refuses a total of %s', (total) => {
    expect(() => discountAmount(fixed(1), total)).toThrow(RangeError);
  });
});
