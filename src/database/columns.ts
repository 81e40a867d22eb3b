import { Column, ColumnOptions, CreateDateColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

// Ids and money are BIGINT; the driver returns them as numbers (see database-options.ts).

export function IdColumn(): PropertyDecorator {
  return PrimaryGeneratedColumn({ type: 'bigint', unsigned: true });
}

export function BigIntColumn(options: ColumnOptions = {}): PropertyDecorator {
  return Column({ type: 'bigint', ...options });
}

/** UTC timestamp with millisecond precision, set by the database on insert. */
export function CreatedAtColumn(options: ColumnOptions = {}): PropertyDecorator {
  return CreateDateColumn({ type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)', ...options });
}

/** UTC timestamp with millisecond precision, set by the database on insert and update. */
export function UpdatedAtColumn(options: ColumnOptions = {}): PropertyDecorator {
  return UpdateDateColumn({ type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)', onUpdate: 'CURRENT_TIMESTAMP(3)', ...options });
}

export function TimestampColumn(options: ColumnOptions = {}): PropertyDecorator {
  return Column({ type: 'datetime', precision: 3, ...options });
}
