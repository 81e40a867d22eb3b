import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { UserNotFoundError } from '../user/user.errors';
import { UserRepository } from '../user/user.repository';
import { TooManyPendingOrdersError } from './order.errors';
import { OrderRepository } from './order.repository';

/**
 * At most MAX_PENDING_ORDERS_PER_USER payable orders per user, exact under concurrent orders: the
 * user's row is locked first in the order transaction, so one user's orders are placed one at a
 * time and each counts the ones committed before it. Lock order: user row → product rows (stock)
 * → … Nothing else locks a user row (FK checks on inserts only share-lock it, and payment and
 * expiry never wait for it while holding product rows), so this adds no deadlock.
 */
@Injectable()
export class PendingOrderLimit {
  constructor(
    private readonly users: UserRepository,
    private readonly orders: OrderRepository,
    private readonly config: AppConfig,
  ) {}

  /** Must be the transaction's first read: the count then sees every order committed before the lock. */
  async requireRoomForOne(manager: EntityManager, userId: number): Promise<void> {
    if (!(await this.users.lockById(manager, userId))) throw new UserNotFoundError(userId);
    // An order past its deadline frees its place even before the expiry job has swept it.
    const payable = await this.orders.countPayable(manager, userId, new Date());
    if (payable >= this.config.maxPendingOrdersPerUser) throw new TooManyPendingOrdersError(this.config.maxPendingOrdersPerUser);
  }
}
