import { Column, Entity } from 'typeorm';
import { BigIntColumn, IdColumn, TimestampColumn } from '../../database/columns';

/**
 * One row per paid order line, appended by the payment transaction (an INSERT, no row shared
 * between payments), and one with the negative quantity per line of a refunded order, at the time
 * the order was paid. The roll-up job moves rows into the aggregates and deletes them, so this
 * table holds only the last moments of sales; queries read it live.
 */
@Entity('product_sales_pending')
export class ProductSalePending {
  @IdColumn() id: number;
  @BigIntColumn({ name: 'product_id', unsigned: true }) productId: number;
  /** Units sold; negative for a refund, which takes them out of every window they were counted in. */
  @Column({ type: 'int' }) quantity: number;
  @TimestampColumn({ name: 'paid_at' }) paidAt: Date;
}
