import { Column, Entity, Index, JoinColumn, ManyToOne, OneToMany } from 'typeorm';
import { BigIntColumn, IdColumn, TimestampColumn } from '../../database/columns';
import { User } from '../../user/entities/user.entity';
import { OrderStatus } from '../order-status';
import { OrderItem } from './order-item.entity';

@Entity('orders')
// The expiry sweep: due unpaid orders.
@Index('idx_orders_status_expires_at', ['status', 'expiresAt'])
// A user's orders newest first, all of them or of one stored status (also the pending-order count).
@Index('idx_orders_user_id_id', ['userId', 'id'])
@Index('idx_orders_user_id_status_id', ['userId', 'status', 'id'])
export class Order {
  @IdColumn() id: number;
  @BigIntColumn({ name: 'user_id', unsigned: true }) userId: number;
  @Column({ type: 'enum', enum: OrderStatus }) status: OrderStatus;
  /** Won: sum of the lines, the coupon's discount, and what the user pays. */
  @BigIntColumn({ name: 'total_amount' }) totalAmount: number;
  @BigIntColumn({ name: 'discount_amount' }) discountAmount: number;
  @BigIntColumn({ name: 'pay_amount' }) payAmount: number;
  /** The coupon campaign id the user holds and wants to use, if any. */
  @BigIntColumn({ name: 'coupon_id', unsigned: true, nullable: true }) couponId: number | null;
  @TimestampColumn({ name: 'created_at' }) createdAt: Date;
  @TimestampColumn({ name: 'expires_at' }) expiresAt: Date;
  @TimestampColumn({ name: 'paid_at', nullable: true }) paidAt: Date | null;
  @TimestampColumn({ name: 'canceled_at', nullable: true }) canceledAt: Date | null;
  @TimestampColumn({ name: 'refunded_at', nullable: true }) refundedAt: Date | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @OneToMany(() => OrderItem, (item) => item.order)
  items?: OrderItem[];
}
