import { Injectable } from '@nestjs/common';
import { EntityManager, LessThan } from 'typeorm';
import { BalanceChangeType, BalanceHistory } from './entities/balance-history.entity';
import { UserBalance } from './entities/user-balance.entity';

export interface BalanceChange {
  userId: number;
  type: BalanceChangeType;
  amount: number;
  balanceAfter: number;
  orderId: number | null;
}

@Injectable()
export class BalanceRepository {
  async createForUser(manager: EntityManager, userId: number): Promise<void> {
    await manager.insert(UserBalance, { userId, balance: 0 });
  }

  findByUserId(manager: EntityManager, userId: number): Promise<UserBalance | null> {
    return manager.findOneBy(UserBalance, { userId });
  }

  findByUserIdForUpdate(manager: EntityManager, userId: number): Promise<UserBalance | null> {
    return manager.findOne(UserBalance, { where: { userId }, lock: { mode: 'pessimistic_write' } });
  }

  /** Sets the new balance and appends its history row; call with the balance row locked. */
  async applyChange(manager: EntityManager, change: BalanceChange): Promise<void> {
    await manager.update(UserBalance, { userId: change.userId }, { balance: change.balanceAfter });
    await manager.insert(BalanceHistory, change);
  }

  /** Newest first; `beforeId` is the cursor (the last id of the previous page). */
  findHistory(manager: EntityManager, userId: number, limit: number, beforeId?: number): Promise<BalanceHistory[]> {
    return manager.find(BalanceHistory, {
      where: beforeId === undefined ? { userId } : { userId, id: LessThan(beforeId) },
      order: { id: 'DESC' },
      take: limit,
    });
  }
}
