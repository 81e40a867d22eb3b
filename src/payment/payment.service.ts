import { Injectable } from '@nestjs/common';
import { BalanceService } from '../balance/balance.service';
import { TransactionRunner } from '../database/transaction-runner';
import { OrderNotFoundError } from '../order/order.errors';
import { OrderRepository } from '../order/order.repository';
import { canTransition, effectiveStatus, OrderStatus } from '../order/order-status';
import { RankingRepository } from '../ranking/ranking.repository';
import { Payment, PaymentStatus } from './entities/payment.entity';
import { OrderNotOwnedError, OrderNotPayableError } from './payment.errors';
import { PaymentRepository } from './payment.repository';

export interface PayOrderCommand {
  orderId: number;
  userId: number;
}

@Injectable()
export class PaymentService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly orders: OrderRepository,
    private readonly balances: BalanceService,
    private readonly payments: PaymentRepository,
    private readonly ranking: RankingRepository,
  ) {}

  /**
   * One transaction: lock the order, check owner and status, then the coupon, then the balance
   * (always in this order), mark the order PAID, record the payment and append its lines for the
   * top-products ranking (inserts only: no row shared with other payments). Any failure rolls all back.
   */
  payOrder({ orderId, userId }: PayOrderCommand): Promise<Payment> {
    return this.transactions.run('payOrder', async (manager) => {
      const order = await this.orders.findByIdForUpdate(manager, orderId);
      if (!order) throw new OrderNotFoundError(orderId);
      if (order.userId !== userId) throw new OrderNotOwnedError(orderId, userId);
      const paidAt = new Date();
      const status = effectiveStatus(order, paidAt);
      if (!canTransition(status, OrderStatus.PAID)) throw new OrderNotPayableError(orderId, status);

      await this.balances.deductForPayment(manager, userId, order.payAmount, orderId);
      await this.orders.markPaid(manager, orderId, paidAt);
      const payment = { orderId, userId, amount: order.payAmount, status: PaymentStatus.PAID, paidAt };
      const id = await this.payments.insert(manager, payment);
      await this.ranking.recordSales(manager, await this.orders.findItems(manager, orderId), paidAt);
      return { ...payment, id };
    });
  }
}
