import { Injectable } from '@nestjs/common';
import { BalanceService } from '../balance/balance.service';
import { CouponService } from '../coupon/coupon.service';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { OrderNotFoundError } from '../order/order.errors';
import { OrderRepository } from '../order/order.repository';
import { canTransition, effectiveStatus, OrderStatus } from '../order/order-status';
import { OutboxService } from '../outbox/outbox.service';
import { RankingRepository } from '../ranking/ranking.repository';
import { PaymentResponse, toPaymentResponse } from './dto/payment.dto';
import { PaymentStatus } from './entities/payment.entity';
import { OrderNotOwnedError, OrderNotPayableError } from './payment.errors';
import { PaymentRepository } from './payment.repository';

export interface PayOrderCommand {
  orderId: number;
  userId: number;
}

export const ORDER_PAID_EVENT = 'ORDER_PAID';

@Injectable()
export class PaymentService {
  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly orders: OrderRepository,
    private readonly coupons: CouponService,
    private readonly balances: BalanceService,
    private readonly payments: PaymentRepository,
    private readonly outbox: OutboxService,
    private readonly ranking: RankingRepository,
  ) {}

  /**
   * One transaction: lock the order, check owner and status, then use the coupon (locking its row),
   * then lock and take the balance (always in this order), mark the order PAID, record the payment,
   * append its lines for the top-products ranking (inserts only: no row shared with other payments)
   * and write the data-platform event to the outbox. Any failure rolls all of it back.
   */
  payOrder(command: PayOrderCommand, idempotencyKey?: string): Promise<PaymentResponse> {
    const { orderId, userId } = command;
    return this.idempotency.run({ operation: 'payOrder', userId, key: idempotencyKey, request: command }, async (manager) => {
      const order = await this.orders.findByIdForUpdate(manager, orderId);
      if (!order) throw new OrderNotFoundError(orderId);
      if (order.userId !== userId) throw new OrderNotOwnedError(orderId, userId);
      const paidAt = new Date();
      const status = effectiveStatus(order, paidAt);
      if (!canTransition(status, OrderStatus.PAID)) throw new OrderNotPayableError(orderId, status);

      if (order.couponId !== null) await this.coupons.useCoupon(manager, userId, order.couponId, orderId, paidAt);
      // A coupon may cover the whole order: nothing is taken then, and no history row is written.
      if (order.payAmount > 0) await this.balances.deductForPayment(manager, userId, order.payAmount, orderId);
      await this.orders.markPaid(manager, orderId, paidAt);
      const payment = { orderId, userId, amount: order.payAmount, status: PaymentStatus.PAID, paidAt };
      const paymentId = await this.payments.insert(manager, payment);

      const items = await this.orders.findItems(manager, orderId);
      await this.ranking.recordSales(manager, items, paidAt);
      await this.outbox.enqueue(manager, {
        type: ORDER_PAID_EVENT,
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
      return toPaymentResponse({ ...payment, id: paymentId });
    });
  }
}
