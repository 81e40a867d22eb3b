import { Entity, PrimaryColumn } from 'typeorm';
import { BigIntColumn } from '../../database/columns';

/** Units sold per product per UTC hour (the hour `paid_at` falls in); kept for 31 days. */
@Entity('product_sales_hourly')
export class ProductSalesHourly {
  @PrimaryColumn({ name: 'bucket_hour', type: 'datetime' }) bucketHour: Date;
  @PrimaryColumn({ name: 'product_id', type: 'bigint', unsigned: true }) productId: number;
  @BigIntColumn() quantity: number;
}
