import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BalanceService } from '../balance/balance.service';
import { AppConfig } from '../config/app-config';
import { CouponService } from '../coupon/coupon.service';
import { OutboxService } from '../outbox/outbox.service';
import { ProductService } from '../product/product.service';
import { RankingService } from '../ranking/ranking.service';
import { OrderNotCancelableError, OrderNotFoundError } from './order.errors';
import { OrderRepository } from './order.repository';
import { cancelTransition, effectiveStatus, OrderStatus } from './order-status';
import { CancelOrderCommand, OrderView } from './order.types';

const ORDER_REFUNDED_EVENT = 'ORDER_REFUNDED';

/**
 * A user cancels an order: an unpaid one is CANCELED, a paid one is REFUNDED while
 * REFUND_WINDOW_DAYS last. The order's row lock comes first and decides: a payment, another cancel
 * or the expiry sweep of the same order waits for it (or it for them) and then finds the status
 * this one left, so each order changes status once. Locks follow the one order
 * (src/database/lock-order.ts): the order, its products, the user coupon, the balance.
 */
@Injectable()
export class OrderCancellationService {
  constructor(
    private readonly orders: OrderRepository,
    private readonly products: ProductService,
    private readonly coupons: CouponService,
    private readonly balances: BalanceService,
    private readonly ranking: RankingService,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
  ) {}

  /** In the caller's transaction; returns the order as it is afterwards. */
  async cancelOrder(manager: EntityManager, { orderId, userId }: CancelOrderCommand): Promise<OrderView> {
    const found = await this.orders.findWithLinesForUpdate(manager, orderId);
    if (!found || found.order.userId !== userId) throw new OrderNotFoundError(orderId);
    const { order, items } = found;
    // After the lock was granted: what happened before it (a payment, the deadline) counts.
    const now = new Date();
    const to = cancelTransition(order, now, this.config.orders.refundWindowDays);
    if (to === undefined) throw new OrderNotCancelableError(orderId, effectiveStatus(order, now), this.config.orders.refundWindowDays);

    await this.orders.moveStatus(manager, [orderId], to, now);
    await this.products.returnStock(manager, items);
    const stamp = to === OrderStatus.CANCELED ? { canceledAt: now } : { refundedAt: now };
    const canceled: OrderView = { ...order, ...stamp, status: to, items };
    if (to === OrderStatus.REFUNDED) await this.refund(manager, canceled, now);
    return canceled;
  }

  /** Everything the payment did, undone after the stock: the coupon, the balance, the sales; the platform is told. */
  private async refund(manager: EntityManager, order: OrderView, refundedAt: Date): Promise<void> {
    const paidAt = order.paidAt!;
    if (order.couponId !== null) await this.coupons.giveBack(manager, order.userId, order.couponId, order.id);
    // A fully discounted order took nothing from the balance: nothing goes back, no history row.
    if (order.payAmount > 0) await this.balances.refundPayment(manager, order.userId, order.payAmount, order.id);
    await this.ranking.recordRefund(manager, order.items, paidAt);
    await this.outbox.enqueue(manager, {
      type: ORDER_REFUNDED_EVENT,
      orderId: order.id,
      payload: {
        orderId: order.id,
        userId: order.userId,
        items: order.items.map(({ productId, quantity, unitPrice }) => ({ productId, quantity, unitPrice })),
        refundAmount: order.payAmount,
        paidAt: paidAt.toISOString(),
        refundedAt: refundedAt.toISOString(),
      },
    });
  }
}
