import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BigIntColumn, IdColumn } from '../../database/columns';
import { Order } from './order.entity';

// No foreign key to products, on purpose: InnoDB's FK check would take a shared lock on the
// product row when the line is inserted, and two checkouts of one product upgrading that lock to
// take stock deadlock each other. Products are never deleted, so the reference stays valid.
@Entity('order_items')
@Index('idx_order_items_order_id', ['orderId'])
export class OrderItem {
  @IdColumn() id: number;
  @BigIntColumn({ name: 'order_id', unsigned: true }) orderId: number;
  @BigIntColumn({ name: 'product_id', unsigned: true }) productId: number;
  /** Won, the product's price when the order was placed. */
  @BigIntColumn({ name: 'unit_price' }) unitPrice: number;
  @Column({ type: 'int', unsigned: true }) quantity: number;
  @BigIntColumn({ name: 'line_amount' }) lineAmount: number;

  @ManyToOne(() => Order, (order) => order.items, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'order_id' })
  order?: Order;
}
