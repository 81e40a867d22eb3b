import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { CursorPage, toCursorPage } from '../database/cursor-page';
import { UserNotFoundError } from '../user/user.errors';
import { BalanceRepository } from './balance.repository';
import { balanceAfterCharge, balanceAfterPayment } from './balance.rules';
import { BalanceResponse, toBalanceResponse } from './dto/balance.dto';
import { BalanceChangeType, BalanceHistory } from './entities/balance-history.entity';

export interface BalanceView {
  userId: number;
  balance: number;
}

@Injectable()
export class BalanceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly idempotency: IdempotencyService,
    private readonly balances: BalanceRepository,
  ) {}

  /** Returns the response body: with an Idempotency-Key it is stored with the charge, for replays. */
  chargeBalance(userId: number, amount: number, idempotencyKey?: string): Promise<BalanceResponse> {
    const request = { userId, amount };
    return this.idempotency.run({ operation: 'chargeBalance', userId, key: idempotencyKey, request }, async (manager) => {
      const current = await this.lockBalance(manager, userId);
      const balance = balanceAfterCharge(current, amount);
      await this.balances.applyChange(manager, { userId, type: BalanceChangeType.CHARGE, amount, balanceAfter: balance, orderId: null });
      return toBalanceResponse({ userId, balance });
    });
  }

  /** Takes a payment inside the caller's transaction (the payment use case owns it). */
  async deductForPayment(manager: EntityManager, userId: number, amount: number, orderId: number): Promise<number> {
    const current = await this.lockBalance(manager, userId);
    const balance = balanceAfterPayment(current, amount);
    await this.balances.applyChange(manager, { userId, type: BalanceChangeType.PAYMENT, amount, balanceAfter: balance, orderId });
    return balance;
  }

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
