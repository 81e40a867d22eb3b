import type { EntityManager } from 'typeorm';

// Hot paths run explicit SQL through the use case's EntityManager: TypeORM's find and query
// builder assemble each query anew, which cost ~200 µs of CPU per call here (measured), more than
// the database round trip itself. Columns are aliased to the entities' property names.

export async function selectRows<T>(manager: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  return manager.query(sql, params);
}

export async function selectOne<T>(manager: EntityManager, sql: string, params: unknown[] = []): Promise<T | null> {
  return (await selectRows<T>(manager, sql, params))[0] ?? null;
}

export interface WriteResult {
  affectedRows: number;
  insertId: number;
}

export function execute(manager: EntityManager, sql: string, params: unknown[] = []): Promise<WriteResult> {
  return manager.query(sql, params);
}

/** `?, ?, ?`: one placeholder per value, for `IN (…)`. */
export function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

/** `(?, ?), (?, ?)` for a multi-row INSERT of `rows` rows of `columns` values each. */
export function valuesList(rows: number, columns: number): string {
  const row = `(${Array(columns).fill('?').join(', ')})`;
  return Array(rows).fill(row).join(', ');
}
