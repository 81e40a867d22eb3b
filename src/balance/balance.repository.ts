import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { execute, selectOne, selectRows } from '../database/sql';
import { BalanceChange } from './balance.types';
import { BalanceHistory } from './entities/balance-history.entity';

@Injectable()
export class BalanceRepository {
  async createForUser(manager: EntityManager, userId: number): Promise<void> {
    await execute(manager, 'INSERT INTO user_balances (user_id, balance) VALUES (?, 0)', [userId]);
  }

  /** The user's balance in won, or null when there is no such user. */
  async findBalance(manager: EntityManager, userId: number): Promise<number | null> {
    return (await selectOne<{ balance: number }>(manager, 'SELECT balance FROM user_balances WHERE user_id = ?', [userId]))?.balance ?? null;
  }

  async findBalanceForUpdate(manager: EntityManager, userId: number): Promise<number | null> {
    return (await selectOne<{ balance: number }>(manager, 'SELECT balance FROM user_balances WHERE user_id = ? FOR UPDATE', [userId]))?.balance ?? null;
  }

  /** Sets the new balance and appends its history row; call with the balance row locked. */
  async applyChange(manager: EntityManager, change: BalanceChange): Promise<void> {
    await execute(manager, 'UPDATE user_balances SET balance = ? WHERE user_id = ?', [change.balanceAfter, change.userId]);
    await execute(manager, 'INSERT INTO balance_history (user_id, type, amount, balance_after, order_id) VALUES (?, ?, ?, ?, ?)', [
      change.userId,
      change.type,
      change.amount,
      change.balanceAfter,
      change.orderId,
    ]);
  }

  /** Newest first; `beforeId` is the cursor (the last id of the previous page). */
  findHistory(manager: EntityManager, userId: number, limit: number, beforeId?: number): Promise<BalanceHistory[]> {
    return selectRows(
      manager,
      `SELECT id, user_id AS userId, type, amount, balance_after AS balanceAfter, order_id AS orderId, created_at AS createdAt
         FROM balance_history WHERE user_id = ?${beforeId === undefined ? '' : ' AND id < ?'} ORDER BY id DESC LIMIT ?`,
      beforeId === undefined ? [userId, limit] : [userId, beforeId, limit],
    );
  }
}
