import { Column, Entity } from 'typeorm';
import { BigIntColumn, CreatedAtColumn, IdColumn, UpdatedAtColumn } from '../../database/columns';

@Entity('products')
export class Product {
  @IdColumn() id: number;
  @Column({ type: 'varchar', length: 200 }) name: string;
  /** Won per unit. */
  @BigIntColumn() price: number;
  /** Units that can still be ordered. */
  @Column({ type: 'int', unsigned: true }) stock: number;
  @CreatedAtColumn({ name: 'created_at' }) createdAt: Date;
  @UpdatedAtColumn({ name: 'updated_at' }) updatedAt: Date;
}
