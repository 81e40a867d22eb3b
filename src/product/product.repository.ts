import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { execute, selectOne, selectRows } from '../database/sql';
import { Product } from './entities/product.entity';
import { NewProduct, ProductView, StockChange } from './product.types';

const PRODUCT_COLUMNS = 'id, name, price, stock';

@Injectable()
export class ProductRepository {
  async create(manager: EntityManager, product: NewProduct): Promise<Product> {
    const result = await manager.insert(Product, product);
    return manager.findOneByOrFail(Product, { id: Number(result.identifiers[0].id) });
  }

  findById(manager: EntityManager, id: number): Promise<ProductView | null> {
    return selectOne(manager, `SELECT ${PRODUCT_COLUMNS} FROM products WHERE id = ?`, [id]);
  }

  findPage(manager: EntityManager, page: number, size: number): Promise<[Product[], number]> {
    return manager.findAndCount(Product, { order: { id: 'ASC' }, skip: (page - 1) * size, take: size });
  }

  findByIds(manager: EntityManager, ids: number[]): Promise<ProductView[]> {
    return selectRows(manager, `SELECT ${PRODUCT_COLUMNS} FROM products WHERE id IN (${ids.map(() => '?').join(', ')}) ORDER BY id`, ids);
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
      `UPDATE products SET stock = stock - ${caseSql} WHERE id IN (${ids.map(() => '?').join(', ')}) AND stock >= ${caseSql}`,
      [...caseParams, ...ids, ...caseParams],
    );
    return result.affectedRows === lines.length;
  }

  /** Gives stock back (an expired order); rows are locked in ascending id order like takeStock. */
  async returnStock(manager: EntityManager, lines: StockChange[]): Promise<void> {
    const { caseSql, caseParams, ids } = quantityCase(lines);
    await execute(manager, `UPDATE products SET stock = stock + ${caseSql} WHERE id IN (${ids.map(() => '?').join(', ')})`, [...caseParams, ...ids]);
  }
}

/** `CASE id WHEN ? THEN ? … END` giving each product's quantity, with its parameters. */
function quantityCase(lines: StockChange[]): { caseSql: string; caseParams: number[]; ids: number[] } {
  const sorted = [...lines].sort((a, b) => a.productId - b.productId);
  return {
    caseSql: `CASE id ${sorted.map(() => 'WHEN ? THEN ?').join(' ')} END`,
    caseParams: sorted.flatMap((line) => [line.productId, line.quantity]),
    ids: sorted.map((line) => line.productId),
  };
}
