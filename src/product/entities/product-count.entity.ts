import { Entity, PrimaryColumn } from 'typeorm';
import { BigIntColumn } from '../../database/columns';

/**
 * A single row (id 1): how many products exist, so a list page reads its `total` in O(1).
 * Products are never deleted; every product insert adds one in the same transaction.
 */
@Entity('product_count')
export class ProductCount {
  @PrimaryColumn({ type: 'tinyint', unsigned: true }) id: number;
  @BigIntColumn({ unsigned: true }) total: number;
}
