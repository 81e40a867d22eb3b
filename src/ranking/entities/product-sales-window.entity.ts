import { Entity, Index, PrimaryColumn } from 'typeorm';
import { BigIntColumn } from '../../database/columns';

/**
 * Units sold per product in each window of 1..30 days ending at the state's `windows_hour`:
 * the sum of the hourly buckets at or after `windows_hour - days × 24 h`. Only the roll-up job
 * writes it. The ranking index is (days, quantity DESC, product_id): the migration declares the
 * DESC, which TypeORM's decorator cannot express, so the top of a window is an index range read.
 */
@Entity('product_sales_windows')
@Index('idx_product_sales_windows_rank', ['days', 'quantity', 'productId'])
export class ProductSalesWindow {
  @PrimaryColumn({ type: 'tinyint', unsigned: true }) days: number;
  @PrimaryColumn({ name: 'product_id', type: 'bigint', unsigned: true }) productId: number;
  @BigIntColumn() quantity: number;
}
