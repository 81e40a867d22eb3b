import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A single row (id 1): the UTC hour the window totals are aligned to. Locked by every roll-up. */
@Entity('product_sales_rollup_state')
export class ProductSalesRollupState {
  @PrimaryColumn({ type: 'tinyint', unsigned: true }) id: number;
  @Column({ name: 'windows_hour', type: 'datetime' }) windowsHour: Date;
}
