import { BalanceLimitExceededError, InsufficientBalanceError } from './balance.errors';

export const MAX_BALANCE = 10_000_000;
export const MIN_CHARGE = 1;
export const MAX_CHARGE = 1_000_000;

/** The balance after charging `amount`; it may never pass MAX_BALANCE. */
export function balanceAfterCharge(balance: number, amount: number): number {
  const after = balance + amount;
  if (after > MAX_BALANCE) throw new BalanceLimitExceededError(balance, amount, MAX_BALANCE);
  return after;
}

/** The balance after paying `amount`; it may never go below zero. */
export function balanceAfterPayment(balance: number, amount: number): number {
  if (amount > balance) throw new InsufficientBalanceError(balance, amount);
  return balance - amount;
}
