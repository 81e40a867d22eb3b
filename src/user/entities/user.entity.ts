import { Column, Entity } from 'typeorm';
import { CreatedAtColumn, IdColumn } from '../../database/columns';

@Entity('users')
export class User {
  @IdColumn() id: number;
  @Column({ type: 'varchar', length: 100 }) name: string;
  @CreatedAtColumn({ name: 'created_at' }) createdAt: Date;
}
