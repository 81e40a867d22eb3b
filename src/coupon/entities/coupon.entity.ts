import { Column, Entity } from 'typeorm';
import { BigIntColumn, CreatedAtColumn, IdColumn } from '../../database/columns';

export enum DiscountType {
  /** `discountValue` won off the order total. */
  FIXED = 'FIXED',
  /** `discountValue` percent (1..100) off the order total, rounded down to the won. */
  PERCENT = 'PERCENT',
}

/** A first-come coupon. Only `issued_quantity` ever changes after creation. */
@Entity('coupons')
export class Coupon {
  @IdColumn() id: number;
  @Column({ type: 'varchar', length: 100 }) name: string;
  @Column({ name: 'discount_type', type: 'enum', enum: DiscountType }) discountType: DiscountType;
  @BigIntColumn({ name: 'discount_value' }) discountValue: number;
  @Column({ name: 'total_quantity', type: 'int', unsigned: true }) totalQuantity: number;
  /** Never above total_quantity: raised only under the row lock, one batch at a time (see CouponIssueBatcher). */
  @Column({ name: 'issued_quantity', type: 'int', unsigned: true, default: 0 }) issuedQuantity: number;
  @Column({ name: 'valid_days', type: 'int', unsigned: true }) validDays: number;
  @CreatedAtColumn({ name: 'created_at' }) createdAt: Date;
}
