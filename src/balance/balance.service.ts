import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CursorPage, toCursorPage } from '../database/cursor-page';
import { UserNotFoundError } from './balance.errors';
import { BalanceRepository } from './balance.repository';
import { balanceAfterCharge, balanceAfterPayment } from './balance.rules';
import { BalanceView, ChargeCommand } from './balance.types';
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
    const current = await this.lockBalance(manager, userId);
    const balance = balanceAfterCharge(current, amount);
    await this.balances.applyChange(manager, { userId, type: BalanceChangeType.CHARGE, amount, balanceAfter: balance, orderId: null });
    return { userId, balance };
  }

  /** Takes a payment inside the caller's transaction (the payment use case owns it). */
  async deductForPayment(manager: EntityManager, userId: number, amount: number, orderId: number): Promise<number> {
    const current = await this.lockBalance(manager, userId);
    const balance = balanceAfterPayment(current, amount);
    await this.balances.applyChange(manager, { userId, type: BalanceChangeType.PAYMENT, amount, balanceAfter: balance, orderId });
    return balance;
  }

  /**
   * Gives a refunded order's payment back inside the caller's transaction (the cancel use case owns
   * it). Not held to the balance limit: that bounds top-ups only.
   */
  async refundPayment(manager: EntityManager, userId: number, amount: number, orderId: number): Promise<number> {
    const balance = (await this.lockBalance(manager, userId)) + amount;
    await this.balances.applyChange(manager, { userId, type: BalanceChangeType.REFUND, amount, balanceAfter: balance, orderId });
    return balance;
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

  private async lockBalance(manager: EntityManager, userId: number): Promise<number> {
    const balance = await this.balances.findBalanceForUpdate(manager, userId);
    if (balance === null) throw new UserNotFoundError(userId);
    return balance;
  }
}
