import { Column, Entity } from 'typeorm';
import { BigIntColumn, IdColumn, TimestampColumn } from '../../database/columns';

export enum PaymentStatus {
  PAID = 'PAID',
}

@Entity('payments')
export class Payment {
  @IdColumn() id: number;
  /** Unique: the database itself refuses a second payment of one order. */
  @BigIntColumn({ name: 'order_id', unsigned: true, unique: true }) orderId: number;
  @BigIntColumn({ name: 'user_id', unsigned: true }) userId: number;
  /** Won taken from the balance (the order's payAmount). */
  @BigIntColumn() amount: number;
  @Column({ type: 'enum', enum: PaymentStatus }) status: PaymentStatus;
  @TimestampColumn({ name: 'paid_at' }) paidAt: Date;
}
