import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { execute } from '../database/sql';
import { Payment } from './entities/payment.entity';

@Injectable()
export class PaymentRepository {
  async insert(manager: EntityManager, payment: Omit<Payment, 'id'>): Promise<number> {
    const result = await execute(manager, 'INSERT INTO payments (order_id, user_id, amount, status, paid_at) VALUES (?, ?, ?, ?, ?)', [
      payment.orderId,
      payment.userId,
      payment.amount,
      payment.status,
      payment.paidAt,
    ]);
    return result.insertId;
  }
}
