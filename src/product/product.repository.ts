import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { execute, placeholders, selectOne, selectRows } from '../database/sql';
import { NewProduct, ProductRowsWithTotal, ProductView, StockChange } from './product.types';

const PRODUCT_COLUMNS = 'id, name, price, stock';

@Injectable()
export class ProductRepository {
  async create(manager: EntityManager, product: NewProduct): Promise<ProductView> {
    const { insertId } = await execute(manager, 'INSERT INTO products (name, price, stock) VALUES (?, ?, ?)', [product.name, product.price, product.stock]);
    return { id: insertId, ...product };
  }

  findById(manager: EntityManager, id: number): Promise<ProductView | null> {
    return selectOne(manager, `SELECT ${PRODUCT_COLUMNS} FROM products WHERE id = ?`, [id]);
  }

  /** Adds `count` new products to the product count; call it in the transaction that inserts them. */
  async addToCount(manager: EntityManager, count: number): Promise<void> {
    await execute(manager, 'UPDATE product_count SET total = total + ? WHERE id = 1', [count]);
  }

  /** Up to `limit` products with ids above `afterId`: a range read on the primary key. */
  findAfter(manager: EntityManager, afterId: number, limit: number): Promise<ProductRowsWithTotal> {
    return this.findWithTotal(manager, 'WHERE id > ? ORDER BY id LIMIT ?', [afterId, limit]);
  }

  /** Up to `limit` products after the first `offset` (kept small by the caller: OFFSET walks the primary key). */
  findAtOffset(manager: EntityManager, offset: number, limit: number): Promise<ProductRowsWithTotal> {
    return this.findWithTotal(manager, 'ORDER BY id LIMIT ? OFFSET ?', [limit, offset]);
  }

  // Each row carries the count, so the total comes in the same round trip and snapshot as the rows.
  private async findWithTotal(manager: EntityManager, rangeSql: string, params: unknown[]): Promise<ProductRowsWithTotal> {
    const rows = await selectRows<ProductView & { total: number }>(
      manager,
      `SELECT (SELECT total FROM product_count WHERE id = 1) AS total, ${PRODUCT_COLUMNS} FROM products ${rangeSql}`,
      params,
    );
    if (rows.length > 0) return { rows, total: rows[0].total };
    // Past the last product there is no row to carry the count.
    const count = await selectOne<{ total: number }>(manager, 'SELECT total FROM product_count WHERE id = 1');
    return { rows: [], total: count!.total };
  }

  findByIds(manager: EntityManager, ids: number[]): Promise<ProductView[]> {
    return selectRows(manager, `SELECT ${PRODUCT_COLUMNS} FROM products WHERE id IN (${placeholders(ids)}) ORDER BY id`, ids);
  }

  /**
   * Takes stock for every line in one conditional UPDATE, or for none: returns false when any
   * product has too little. The statement locks the rows itself, in ascending id order (a primary
   * key range scan), so carts listing the same products in opposite orders cannot deadlock.
   */
  async takeStock(manager: EntityManager, lines: StockChange[]): Promise<boolean> {
    const { caseSql, caseParams, ids } = quantityCase(lines);
    const result = await execute(
      manager,
      `UPDATE products SET stock = stock - ${caseSql} WHERE id IN (${placeholders(ids)}) AND stock >= ${caseSql}`,
      [...caseParams, ...ids, ...caseParams],
    );
    return result.affectedRows === lines.length;
  }

  /** Adds units unless the stock would pass `limit`; false when it would, or when there is no such product. */
  async addStock(manager: EntityManager, productId: number, quantity: number, limit: number): Promise<boolean> {
    const result = await execute(manager, 'UPDATE products SET stock = stock + ? WHERE id = ? AND stock + ? <= ?', [quantity, productId, quantity, limit]);
    return result.affectedRows === 1;
  }

  /** Gives stock back (an expired or canceled order); rows are locked in ascending id order like takeStock. */
  async returnStock(manager: EntityManager, lines: StockChange[]): Promise<void> {
    const { caseSql, caseParams, ids } = quantityCase(lines);
    await execute(manager, `UPDATE products SET stock = stock + ${caseSql} WHERE id IN (${placeholders(ids)})`, [...caseParams, ...ids]);
  }
}

/**
 * `CASE id WHEN ? THEN ? … END` giving each product's quantity, with its parameters. The lines may
 * come in any order: the UPDATE reads `id IN (…)` as a primary-key range scan, which takes the row
 * locks in ascending id order whatever the order of the list.
 */
function quantityCase(lines: StockChange[]): { caseSql: string; caseParams: number[]; ids: number[] } {
  return {
    caseSql: `CASE id ${lines.map(() => 'WHEN ? THEN ?').join(' ')} END`,
    caseParams: lines.flatMap((line) => [line.productId, line.quantity]),
    ids: lines.map((line) => line.productId),
  };
}
