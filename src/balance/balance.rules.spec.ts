import { BalanceLimitExceededError, InsufficientBalanceError } from './balance.errors';
import { balanceAfterCharge, balanceAfterPayment, MAX_BALANCE } from './balance.rules';

describe('balance rules', () => {
  describe(balanceAfterCharge.name, () => {
    it('adds the amount', () => {
      expect(balanceAfterCharge(15_000, 10_000)).toBe(25_000);
    });

    it('allows reaching the limit exactly', () => {
      expect(balanceAfterCharge(MAX_BALANCE - 1, 1)).toBe(MAX_BALANCE);
    });

    it('refuses to pass the limit by one won', () => {
      expect(() => balanceAfterCharge(MAX_BALANCE, 1)).toThrow(BalanceLimitExceededError);
      expect(() => balanceAfterCharge(MAX_BALANCE - 999_999, 1_000_000)).toThrow(BalanceLimitExceededError);
    });
  });

  describe(balanceAfterPayment.name, () => {
    it('subtracts the amount', () => {
      expect(balanceAfterPayment(25_000, 10_000)).toBe(15_000);
    });

    it('allows paying the whole balance', () => {
      expect(balanceAfterPayment(10_000, 10_000)).toBe(0);
    });

    it('allows a zero payment (an order fully covered by a coupon)', () => {
      expect(balanceAfterPayment(0, 0)).toBe(0);
    });

    it('refuses to go below zero by one won', () => {
      expect(() => balanceAfterPayment(9_999, 10_000)).toThrow(InsufficientBalanceError);
    });
  });
});
