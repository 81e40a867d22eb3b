import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CursorPage, toCursorPage } from '../database/cursor-page';
import { UserNotFoundError } from './balance.errors';
import { BalanceRepository } from './balance.repository';
import { balanceAfterCharge, balanceAfterPayment, MAX_BALANCE } from './balance.rules';
import { BalanceChange, BalanceView, ChargeCommand } from './balance.types';
import { BalanceChangeType, BalanceHistory } from './entities/balance-history.entity';

@Injectable()
export class BalanceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly balances: BalanceRepository,
  ) {}

  /** A new user's zero balance row, in the caller's transaction (the user use case owns it). */
  async openAccount(manager: EntityManager, userId: number): Promise<void> {
    await this.balances.createForUser(manager, userId);
  }

  /** Charges the balance, in the caller's transaction; returns the balance after the charge. */
  async chargeBalance(manager: EntityManager, { userId, amount }: ChargeCommand): Promise<BalanceView> {
    const balance = await this.change(manager, { userId, type: BalanceChangeType.CHARGE, amount, orderId: null }, { delta: amount, max: MAX_BALANCE, rule: balanceAfterCharge });
    return { userId, balance };
  }

  /** Takes a payment inside the caller's transaction (the payment use case owns it). */
  deductForPayment(manager: EntityManager, userId: number, amount: number, orderId: number): Promise<number> {
    return this.change(manager, { userId, type: BalanceChangeType.PAYMENT, amount, orderId }, { delta: -amount, rule: balanceAfterPayment });
  }

  /**
   * Gives a refunded order's payment back inside the caller's transaction (the cancel use case owns
   * it). Not held to the balance limit: that bounds top-ups only.
   */
  refundPayment(manager: EntityManager, userId: number, amount: number, orderId: number): Promise<number> {
    return this.change(manager, { userId, type: BalanceChangeType.REFUND, amount, orderId }, { delta: amount });
  }

  /** A user's balance row is created with the user, so a missing row means USER_NOT_FOUND. */
  async getBalance(userId: number): Promise<BalanceView> {
    const balance = await this.balances.findBalance(this.dataSource.manager, userId);
    if (balance === null) throw new UserNotFoundError(userId);
    return { userId, balance };
  }

  async getHistory(userId: number, limit: number, cursor?: number): Promise<CursorPage<BalanceHistory>> {
    await this.getBalance(userId);
    return toCursorPage(await this.balances.findHistory(this.dataSource.manager, userId, limit + 1, cursor), limit);
  }

  /**
   * Moves the balance by `delta` within 0..`max` and writes the history row: two statements, the
   * row locked by the first. When the row did not change, reads it to answer why: USER_NOT_FOUND,
   * or the refusal of the change's `rule` (balance.rules.ts) for the balance as it is.
   */
  private async change(
    manager: EntityManager,
    change: Omit<BalanceChange, 'balanceAfter'>,
    { delta, max = Number.MAX_SAFE_INTEGER, rule }: { delta: number; max?: number; rule?: (balance: number, amount: number) => number },
  ): Promise<number> {
    const balanceAfter = await this.balances.addWithinBounds(manager, change.userId, delta, max);
    if (balanceAfter === null) {
      const balance = await this.balances.findBalanceForUpdate(manager, change.userId);
      if (balance === null) throw new UserNotFoundError(change.userId);
      rule?.(balance, change.amount);
      throw new Error(`balance ${balance} of user ${change.userId} refused a change of ${delta} that its rule allows`);
    }
    await this.balances.appendHistory(manager, { ...change, balanceAfter });
    return balanceAfter;
  }
}
