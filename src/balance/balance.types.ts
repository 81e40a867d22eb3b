import type { BalanceChangeType } from './entities/balance-history.entity';

export interface ChargeCommand {
  userId: number;
  amount: number;
}

export interface BalanceView {
  userId: number;
  balance: number;
}

/** One change of a balance: the new balance and its history row. */
export interface BalanceChange {
  userId: number;
  type: BalanceChangeType;
  amount: number;
  balanceAfter: number;
  orderId: number | null;
}
