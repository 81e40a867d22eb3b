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

  /**
   * Adds `delta` (negative to take) unless the balance would leave 0..`max`, locking the row: the
   * balance after it, or null when nothing changed (no such user, or out of bounds). One statement:
   * LAST_INSERT_ID(expr) hands the new value back in the answer, so no read is needed first.
   */
  async addWithinBounds(manager: EntityManager, userId: number, delta: number, max: number): Promise<number | null> {
    const result = await execute(manager, 'UPDATE user_balances SET balance = LAST_INSERT_ID(balance + ?) WHERE user_id = ? AND balance + ? BETWEEN 0 AND ?', [
      delta,
      userId,
      delta,
      max,
    ]);
    return result.affectedRows === 1 ? result.insertId : null;
  }

  /** Appends a change's history row; call after changing the balance, in the same transaction. */
  async appendHistory(manager: EntityManager, change: BalanceChange): Promise<void> {
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
