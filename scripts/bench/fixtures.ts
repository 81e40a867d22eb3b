import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';

const BATCH = 2_000;

/** Bulk-creates users with balance rows (and a CHARGE history row when the balance is not 0). */
export async function insertUsers(db: Pool, count: number, balance = 0): Promise<number[]> {
  const ids: number[] = [];
  for (let offset = 0; offset < count; offset += BATCH) {
    const size = Math.min(BATCH, count - offset);
    const [result] = await db.query<ResultSetHeader>(`INSERT INTO users (name) VALUES ${Array(size).fill('(?)').join(',')}`, Array.from({ length: size }, (_, i) => `bench-${offset + i}`));
    const [rows] = await db.query<RowDataPacket[]>('SELECT id FROM users WHERE id >= ? ORDER BY id LIMIT ?', [result.insertId, size]);
    const batch = rows.map((row) => Number(row.id));
    await db.query(`INSERT INTO user_balances (user_id, balance) VALUES ${batch.map(() => '(?, ?)').join(',')}`, batch.flatMap((id) => [id, balance]));
    if (balance > 0) {
      await db.query(
        `INSERT INTO balance_history (user_id, type, amount, balance_after) VALUES ${batch.map(() => "(?, 'CHARGE', ?, ?)").join(',')}`,
        batch.flatMap((id) => [id, balance, balance]),
      );
    }
    ids.push(...batch);
  }
  return ids;
}

export async function insertProduct(db: Pool, price: number, stock: number): Promise<number> {
  const [result] = await db.query<ResultSetHeader>('INSERT INTO products (name, price, stock) VALUES (?, ?, ?)', [`bench product ${price}`, price, stock]);
  // Products created behind the service's back keep its O(1) total right themselves.
  await db.query('UPDATE product_count SET total = total + 1 WHERE id = 1');
  return result.insertId;
}

export async function insertCoupon(db: Pool, totalQuantity: number): Promise<number> {
  const [result] = await db.query<ResultSetHeader>(
    "INSERT INTO coupons (name, discount_type, discount_value, total_quantity, valid_days) VALUES ('bench coupon', 'FIXED', 1000, ?, 30)",
    [totalQuantity],
  );
  return result.insertId;
}

export async function scalar(db: Pool, sql: string, params: unknown[] = []): Promise<number> {
  const [rows] = await db.query<RowDataPacket[]>(sql, params);
  return Number(Object.values(rows[0])[0] ?? 0);
}

/** Hands out the ids in turn, wrapping around. */
export function roundRobin(ids: number[]): () => number {
  let next = 0;
  return () => ids[next++ % ids.length];
}
