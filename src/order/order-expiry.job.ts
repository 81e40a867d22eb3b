import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../database/transaction-runner';
import { ProductService } from '../product/product.service';
import { PeriodicJob } from '../scheduling/periodic-job';
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
export class OrderExpiryJob extends PeriodicJob {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly orders: OrderRepository,
    private readonly products: ProductService,
  ) {
    super();
  }

  protected intervalMs(): number {
    return SWEEP_INTERVAL_MS;
  }

  protected runOnce(): Promise<number> {
    return this.expireDueOrders();
  }

  /** Expires every due order, batch by batch; returns how many it expired. */
  async expireDueOrders(now = new Date()): Promise<number> {
    let expired = 0;
    for (;;) {
      const count = await this.transactions.run('expireOrders', async (manager) => {
        const ids = await this.orders.findDueForExpiryForUpdate(manager, now, BATCH_SIZE);
        if (ids.length === 0) return 0;
        await this.orders.moveStatus(manager, ids, OrderStatus.EXPIRED);
        await this.products.returnStock(manager, await this.orders.sumQuantitiesByProduct(manager, ids));
        return ids.length;
      });
      expired += count;
      if (count < BATCH_SIZE) return expired;
    }
  }
}
