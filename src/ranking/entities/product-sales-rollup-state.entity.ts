import { Column, Entity, PrimaryColumn } from 'typeorm';
import { BigIntColumn } from '../../database/columns';

/** A single row (id 1), locked by every roll-up. */
@Entity('product_sales_rollup_state')
export class ProductSalesRollupState {
  @PrimaryColumn({ type: 'tinyint', unsigned: true }) id: number;
  /** The UTC hour the window totals are aligned to. */
  @Column({ name: 'windows_hour', type: 'datetime' }) windowsHour: Date;
  /** Bumped by every roll-up that changes the aggregates, so readers can tell two reads saw the same ones. */
  @BigIntColumn({ unsigned: true, default: 0 }) version: number;
}
