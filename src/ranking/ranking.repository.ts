import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { execute, placeholders, selectOne, selectRows, valuesList } from '../database/sql';
import { MAX_RANKING_DAYS } from './ranking.rules';
import { AggregateRead, RankedProduct, SoldLine, WindowTotalsRead } from './ranking.types';

/** The UTC hour a sale counts in, as SQL (shared with the scale script, which builds buckets from order lines). */
export const bucketHourSql = (column: string): string => `DATE_FORMAT(${column}, '%Y-%m-%d %H:00:00')`;

/** A derived table with one row per window length: `days` = 1..30. */
const WINDOW_DAYS_SQL = `(${Array.from({ length: MAX_RANKING_DAYS }, (_, i) => `SELECT ${i + 1} AS days`).join(' UNION ALL ')})`;

/** Hourly buckets are kept one day longer than the longest window. */
const HOURLY_RETENTION_HOURS = (MAX_RANKING_DAYS + 1) * 24;

/**
 * Sales aggregates for the top-products ranking (docs/top-products.md):
 * - `product_sales_pending`: paid lines not rolled up yet, appended by payments;
 * - `product_sales_hourly`: units per (hour, product);
 * - `product_sales_windows`: per window length d and product, the sum of the hourly buckets at or
 *   after `windows_hour - d × 24 h`, where `windows_hour` is the single row of
 *   `product_sales_rollup_state`. Only the roll-up job writes the last three, holding that row,
 *   and every change it makes bumps the row's `version`.
 */
@Injectable()
export class RankingRepository {
  /** Appends sold lines (negative for a refund), counted at `paidAt`; called inside the payment's or the refund's transaction. */
  async appendSales(manager: EntityManager, lines: SoldLine[], paidAt: Date): Promise<void> {
    await execute(
      manager,
      `INSERT INTO product_sales_pending (product_id, quantity, paid_at) VALUES ${valuesList(lines.length, 3)}`,
      lines.flatMap(({ productId, quantity }) => [productId, quantity, paidAt]),
    );
  }

  /** Locks the roll-up state row and returns the hour the windows are aligned to. */
  async lockWindowsHourForUpdate(manager: EntityManager): Promise<Date> {
    const row = await selectOne<{ windowsHour: Date }>(manager, 'SELECT windows_hour AS windowsHour FROM product_sales_rollup_state WHERE id = 1 FOR UPDATE');
    return row!.windowsHour;
  }

  /**
   * Moves every window from ending at `from` to ending at `to` (a later hour): each window loses the
   * hourly buckets that fell off its far edge. Buckets no window can reach any more are deleted.
   * Call with the state row locked.
   */
  async moveWindows(manager: EntityManager, from: Date, to: Date): Promise<void> {
    await execute(
      manager,
      `UPDATE product_sales_windows w
       JOIN (
         SELECT d.days, h.product_id, SUM(h.quantity) AS removed
         FROM product_sales_hourly h
         JOIN ${WINDOW_DAYS_SQL} d
           ON h.bucket_hour >= CAST(? AS DATETIME) - INTERVAL 24 * d.days HOUR
          AND h.bucket_hour < CAST(? AS DATETIME) - INTERVAL 24 * d.days HOUR
         GROUP BY d.days, h.product_id
       ) s ON s.days = w.days AND s.product_id = w.product_id
       SET w.quantity = w.quantity - s.removed`,
      [from, to],
    );
    await execute(manager, 'DELETE FROM product_sales_windows WHERE quantity = 0');
    await execute(manager, `DELETE FROM product_sales_hourly WHERE bucket_hour < CAST(? AS DATETIME) - INTERVAL ${HOURLY_RETENTION_HOURS} HOUR`, [to]);
    await execute(manager, 'UPDATE product_sales_rollup_state SET windows_hour = ?, version = version + 1 WHERE id = 1', [to]);
  }

  /**
   * Claims up to `limit` pending lines, oldest first. Lines of payments that have not committed
   * yet are locked by them and skipped (claimed by a later run), so no line is missed or taken
   * twice. Run under READ COMMITTED: there this takes no gap locks that would block payments
   * appending new lines.
   */
  async claimPendingForUpdate(manager: EntityManager, limit: number): Promise<number[]> {
    const rows = await selectRows<{ id: number }>(manager, 'SELECT id FROM product_sales_pending ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED', [limit]);
    return rows.map((row) => Number(row.id));
  }

  /**
   * Adds the claimed lines to their hourly buckets and to every window whose far edge (relative to
   * `windowsHour`) they are not before, then deletes them: all in the caller's transaction.
   */
  async rollUp(manager: EntityManager, ids: number[], windowsHour: Date): Promise<void> {
    // The ON DUPLICATE KEY UPDATE form that reads the SELECT's columns through a derived table is
    // valid on both MySQL 8 and MariaDB (MariaDB has no `AS new` row alias; VALUES() is deprecated on MySQL).
    await execute(
      manager,
      `INSERT INTO product_sales_hourly (bucket_hour, product_id, quantity)
       SELECT * FROM (
         SELECT ${bucketHourSql('paid_at')} AS bucket_hour, product_id, SUM(quantity) AS added
         FROM product_sales_pending WHERE id IN (${placeholders(ids)})
         GROUP BY bucket_hour, product_id
       ) s
       ON DUPLICATE KEY UPDATE quantity = product_sales_hourly.quantity + s.added`,
      ids,
    );
    await execute(
      manager,
      `INSERT INTO product_sales_windows (days, product_id, quantity)
       SELECT * FROM (
         SELECT d.days, p.product_id, SUM(p.quantity) AS added
         FROM product_sales_pending p
         JOIN ${WINDOW_DAYS_SQL} d ON p.paid_at >= CAST(? AS DATETIME) - INTERVAL 24 * d.days HOUR
         WHERE p.id IN (${placeholders(ids)})
         GROUP BY d.days, p.product_id
       ) s
       ON DUPLICATE KEY UPDATE quantity = product_sales_windows.quantity + s.added`,
      [windowsHour, ...ids],
    );
    await execute(manager, `DELETE FROM product_sales_pending WHERE id IN (${placeholders(ids)})`, ids);
    await execute(manager, 'UPDATE product_sales_rollup_state SET version = version + 1 WHERE id = 1');
  }

  /**
   * Per product, what the `days` window's rolled-up total lacks or holds too much for a window
   * starting at `start`: the pending lines paid since `start`, plus the hourly buckets between the
   * windows' far edge and `start`: subtracted when the windows reach back further than `start`
   * (the roll-up has not moved them to this hour yet), added when they stop short of it (moved by
   * a clock ahead of this reader's). Only products with a nonzero delta are listed. One statement,
   * so one snapshot.
   */
  async findWindowDeltas(manager: EntityManager, days: number, start: Date): Promise<AggregateRead> {
    const hours = days * 24;
    const rows = await selectRows<AggregateRow>(
      manager,
      `SELECT s.version, d.productId, d.quantity
       FROM product_sales_rollup_state s
       LEFT JOIN (
         SELECT product_id AS productId, SUM(quantity) AS quantity FROM (
           SELECT product_id, quantity FROM product_sales_pending WHERE paid_at >= ?
           UNION ALL
           SELECT h.product_id, IF(h.bucket_hour < CAST(? AS DATETIME), -h.quantity, h.quantity)
           FROM product_sales_rollup_state s
           JOIN product_sales_hourly h
             ON h.bucket_hour >= LEAST(s.windows_hour - INTERVAL ? HOUR, CAST(? AS DATETIME))
            AND h.bucket_hour < GREATEST(s.windows_hour - INTERVAL ? HOUR, CAST(? AS DATETIME))
           WHERE s.id = 1
         ) delta
         GROUP BY product_id
         HAVING SUM(quantity) <> 0
       ) d ON 1 = 1
       WHERE s.id = 1`,
      [start, start, hours, start, hours, start],
    );
    return toAggregateRead(rows);
  }

  /**
   * Rolled-up totals of the `days` window, with each product's name and price, for the first
   * `count` products by units (ties by lower id), read from the ranking index, and for the given
   * products (0 when they have none). One statement, so one snapshot.
   */
  async findWindowTotals(manager: EntityManager, days: number, count: number, productIds: number[]): Promise<WindowTotalsRead> {
    const top = `(SELECT w.product_id AS productId, w.quantity, p.name, p.price
                  FROM product_sales_windows w JOIN products p ON p.id = w.product_id
                  WHERE w.days = ? ORDER BY w.quantity DESC, w.product_id LIMIT ?)`;
    const given = `(SELECT p.id AS productId, COALESCE(w.quantity, 0) AS quantity, p.name, p.price
                    FROM products p LEFT JOIN product_sales_windows w ON w.days = ? AND w.product_id = p.id
                    WHERE p.id IN (${placeholders(productIds)}))`;
    const rows = await selectRows<AggregateRow & { name: string; price: number }>(
      manager,
      `SELECT s.version, c.productId, c.quantity, c.name, c.price
       FROM product_sales_rollup_state s
       LEFT JOIN (${productIds.length === 0 ? top : `${top} UNION ALL ${given}`}) c ON 1 = 1
       WHERE s.id = 1`,
      productIds.length === 0 ? [days, count] : [days, count, days, ...productIds],
    );
    const products = new Map<number, RankedProduct>();
    for (const row of rows) if (row.productId !== null) products.set(Number(row.productId), { name: row.name, price: Number(row.price) });
    return { ...toAggregateRead(rows), products };
  }
}

type AggregateRow = { version: number; productId: number | null; quantity: number | null };

function toAggregateRead(rows: AggregateRow[]): AggregateRead {
  const quantities = new Map<number, number>();
  for (const row of rows) if (row.productId !== null) quantities.set(Number(row.productId), Number(row.quantity));
  return { version: Number(rows[0].version), quantities };
}
