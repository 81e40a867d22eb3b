import { Column, Entity, Index } from 'typeorm';
import { BigIntColumn, CreatedAtColumn, IdColumn } from '../../database/columns';

export enum BalanceChangeType {
  CHARGE = 'CHARGE',
  PAYMENT = 'PAYMENT',
  REFUND = 'REFUND',
}

/** Exactly one row per change of a balance, written in the transaction that changes it. */
@Entity('balance_history')
@Index('idx_balance_history_user_id_id', ['userId', 'id'])
export class BalanceHistory {
  @IdColumn() id: number;
  @BigIntColumn({ name: 'user_id', unsigned: true }) userId: number;
  @Column({ type: 'enum', enum: BalanceChangeType }) type: BalanceChangeType;
  /** Always positive; `type` gives the direction. */
  @BigIntColumn() amount: number;
  @BigIntColumn({ name: 'balance_after' }) balanceAfter: number;
  @BigIntColumn({ name: 'order_id', unsigned: true, nullable: true }) orderId: number | null;
  @CreatedAtColumn({ name: 'created_at' }) createdAt: Date;
}
