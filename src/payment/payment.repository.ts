import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Payment } from './entities/payment.entity';

@Injectable()
export class PaymentRepository {
  async insert(manager: EntityManager, payment: Omit<Payment, 'id'>): Promise<number> {
    const result = await manager.insert(Payment, payment);
    return Number(result.identifiers[0].id);
  }
}
