import { Column, Entity, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { BigIntColumn, IdColumn, TimestampColumn } from '../../database/columns';
import { User } from '../../user/entities/user.entity';
import { Coupon } from './coupon.entity';

/** Stored states; EXPIRED is derived when read (AVAILABLE and expires_at <= now). */
export enum UserCouponStatus {
  AVAILABLE = 'AVAILABLE',
  USED = 'USED',
}

/**
 * A coupon issued to a user. The unique key is what makes "one per user per coupon" hold under
 * any concurrency; it also serves listing by user (user_id leads).
 *
 * No foreign key constraint to coupons on purpose: InnoDB checks a foreign key on INSERT by taking a shared
 * lock on the parent row, so every issuing transaction would hold the hot coupon row from its
 * INSERT on and deadlock against the other issuers' UPDATE of that row. Coupons are never deleted
 * and issuance checks the coupon exists first.
 */
@Entity('user_coupons')
@Unique('uq_user_coupons_user_id_coupon_id', ['userId', 'couponId'])
export class UserCoupon {
  @IdColumn() id: number;
  @BigIntColumn({ name: 'user_id', unsigned: true }) userId: number;
  @BigIntColumn({ name: 'coupon_id', unsigned: true }) couponId: number;
  @Column({ type: 'enum', enum: UserCouponStatus }) status: UserCouponStatus;
  @TimestampColumn({ name: 'issued_at' }) issuedAt: Date;
  @TimestampColumn({ name: 'expires_at' }) expiresAt: Date;
  @TimestampColumn({ name: 'used_at', nullable: true }) usedAt: Date | null;
  @BigIntColumn({ name: 'order_id', unsigned: true, nullable: true }) orderId: number | null;

  @ManyToOne(() => User)
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @ManyToOne(() => Coupon, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'coupon_id' })
  coupon?: Coupon;
}
