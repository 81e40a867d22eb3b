import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { TransactionRunner } from '../database/transaction-runner';
import { ProductService } from '../product/product.service';
import { PeriodicTask } from '../scheduling/periodic-task';
import { OrderRepository } from './order.repository';
import { OrderStatus } from './order-status';

const BATCH_SIZE = 100;
const SWEEP_INTERVAL_MS = 1_000;

/**
 * Expires unpaid orders past their deadline and returns their stock, exactly once: each batch is
 * claimed with FOR UPDATE SKIP LOCKED, so several app instances sweep side by side without
 * touching the same order, and an order paid meanwhile is no longer PENDING_PAYMENT.
 */
@Injectable()
export class OrderExpiryJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly schedule = new PeriodicTask(new Logger(OrderExpiryJob.name), () => this.expireDueOrders());

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly orders: OrderRepository,
    private readonly products: ProductService,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule.start(SWEEP_INTERVAL_MS);
  }

  /** Waits for a sweep in progress while the database is still open. */
  onModuleDestroy(): Promise<void> {
    return this.schedule.stop();
  }

  /** Expires every due order, batch by batch; returns how many it expired. */
  async expireDueOrders(now = new Date()): Promise<number> {
    let expired = 0;
    for (;;) {
      const count = await this.transactions.run('expireOrders', async (manager) => {
        const due = await this.orders.findDueForExpiryForUpdate(manager, now, BATCH_SIZE);
        if (due.length === 0) return 0;
        const ids = due.map((order) => order.id);
        await this.orders.moveStatus(manager, ids, OrderStatus.EXPIRED);
        await this.products.returnStock(manager, await this.orders.sumQuantitiesByProduct(manager, ids));
        return ids.length;
      });
      expired += count;
      if (count < BATCH_SIZE) return expired;
    }
  }
}
