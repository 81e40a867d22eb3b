import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BalanceService } from '../balance/balance.service';
import { TransactionRunner } from '../database/transaction-runner';
import { User } from './entities/user.entity';
import { UserNotFoundError } from './user.errors';
import { UserRepository } from './user.repository';

@Injectable()
export class UserService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly users: UserRepository,
    private readonly balances: BalanceService,
  ) {}

  /** A user starts with a zero balance row, so balance operations only ever lock an existing row. */
  createUser(name: string): Promise<Pick<User, 'id' | 'name'>> {
    return this.transactions.run('createUser', async (manager) => {
      const user = await this.users.create(manager, name);
      await this.balances.openAccount(manager, user.id);
      return user;
    });
  }

  /**
   * Locks the user's row (USER_NOT_FOUND if there is none), serialising that user's orders. Lock
   * order: the user row comes before any product, order, coupon or balance row; only order
   * placement locks it.
   */
  async lockExisting(manager: EntityManager, userId: number): Promise<void> {
    if (!(await this.users.lockById(manager, userId))) throw new UserNotFoundError(userId);
  }

  /** USER_NOT_FOUND unless the user exists: a plain read, no lock. */
  async requireExists(manager: EntityManager, userId: number): Promise<void> {
    if (!(await this.users.exists(manager, userId))) throw new UserNotFoundError(userId);
  }
}
