import { Injectable } from '@nestjs/common';
import { BalanceRepository } from '../balance/balance.repository';
import { TransactionRunner } from '../database/transaction-runner';
import { User } from './entities/user.entity';
import { UserRepository } from './user.repository';

@Injectable()
export class UserService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly users: UserRepository,
    private readonly balances: BalanceRepository,
  ) {}

  /** A user starts with a zero balance row, so balance operations only ever lock an existing row. */
  createUser(name: string): Promise<User> {
    return this.transactions.run('createUser', async (manager) => {
      const user = await this.users.create(manager, name.trim());
      await this.balances.createForUser(manager, user.id);
      return user;
    });
  }
}
