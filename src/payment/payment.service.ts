import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BalanceService } from '../balance/balance.service';
import { CouponService } from '../coupon/coupon.service';
import { OrderService } from '../order/order.service';
import { OutboxService } from '../outbox/outbox.service';
import { RankingService } from '../ranking/ranking.service';
import { PaymentStatus } from './entities/payment.entity';
import { PaymentRepository } from './payment.repository';
import { PaymentView, PayOrderCommand } from './payment.types';

const ORDER_PAID_EVENT = 'ORDER_PAID';

@Injectable()
export class PaymentService {
  constructor(
    private readonly orders: OrderService,
    private readonly coupons: CouponService,
    private readonly balances: BalanceService,
    private readonly payments: PaymentRepository,
    private readonly outbox: OutboxService,
    private readonly ranking: RankingService,
  ) {}

  /**
   * In the caller's transaction: lock the order and read its lines (another user's is
   * ORDER_NOT_FOUND), check its status, then use the coupon (locking its row), then lock and take
   * the balance (always in this order), mark the order PAID, record the payment, append its lines
   * for the top-products ranking (inserts only: no row shared with other payments) and write the
   * data-platform event to the outbox.
   */
  async payOrder(manager: EntityManager, { orderId, userId }: PayOrderCommand): Promise<PaymentView> {
    const { order, items, paidAt } = await this.orders.lockPayable(manager, orderId, userId);
    if (order.couponId !== null) await this.coupons.useCoupon(manager, userId, order.couponId, orderId, paidAt);
    // A coupon may cover the whole order: nothing is taken then, and no history row is written.
    if (order.payAmount > 0) await this.balances.deductForPayment(manager, userId, order.payAmount, orderId);
    await this.orders.markPaid(manager, orderId, paidAt);
    const payment = { orderId, userId, amount: order.payAmount, status: PaymentStatus.PAID, paidAt };
    const paymentId = await this.payments.insert(manager, payment);

    await this.ranking.recordSales(manager, items, paidAt);
    await this.outbox.enqueue(manager, {
      type: ORDER_PAID_EVENT,
      orderId,
      payload: {
        orderId,
        userId,
        items: items.map(({ productId, quantity, unitPrice }) => ({ productId, quantity, unitPrice })),
        totalAmount: order.totalAmount,
        discountAmount: order.discountAmount,
        payAmount: order.payAmount,
        paidAt: paidAt.toISOString(),
      },
    });
    return { ...payment, id: paymentId };
  }
}
