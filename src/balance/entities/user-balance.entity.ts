import { Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { BigIntColumn, UpdatedAtColumn } from '../../database/columns';
import { User } from '../../user/entities/user.entity';

/** One row per user, created with the user; the row is what charges and payments lock. */
@Entity('user_balances')
export class UserBalance {
  @PrimaryColumn({ name: 'user_id', type: 'bigint', unsigned: true }) userId: number;
  @BigIntColumn({ default: 0 }) balance: number;
  @UpdatedAtColumn({ name: 'updated_at' }) updatedAt: Date;

  @OneToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;
}
