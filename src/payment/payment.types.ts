import type { Payment } from './entities/payment.entity';

export interface PayOrderCommand {
  orderId: number;
  userId: number;
}

/** A payment as recorded. */
export type PaymentView = Payment;
