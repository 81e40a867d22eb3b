import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { execute, placeholders, selectOne, selectRows, valuesList } from '../database/sql';
import type { StockChange } from '../product/product.types';
import { Order } from './entities/order.entity';
import { OrderStatus, statusesBefore } from './order-status';
import { NewOrder, OrderLine, OrderWithLines, StoredOrder } from './order.types';

/** An order line as the locking read returns it: product id, unit price, quantity, line amount. */
export type LineTuple = [number, number, number, number];

const ORDER_COLUMNS = `id, user_id AS userId, status, total_amount AS totalAmount, discount_amount AS discountAmount, pay_amount AS payAmount,
  coupon_id AS couponId, created_at AS createdAt, expires_at AS expiresAt, paid_at AS paidAt, canceled_at AS canceledAt, refunded_at AS refundedAt`;

/** The column a move to the status stamps with its time. */
const STATUS_TIME_COLUMN: Partial<Record<OrderStatus, string>> = {
  [OrderStatus.PAID]: 'paid_at',
  [OrderStatus.CANCELED]: 'canceled_at',
  [OrderStatus.REFUNDED]: 'refunded_at',
};

@Injectable()
export class OrderRepository {
  /** Inserts the order and its lines; returns the order id. */
  async insert(manager: EntityManager, order: NewOrder): Promise<number> {
    const { insertId: orderId } = await execute(
      manager,
      `INSERT INTO orders (user_id, status, total_amount, discount_amount, pay_amount, coupon_id, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [order.userId, order.status, order.totalAmount, order.discountAmount, order.payAmount, order.couponId, order.createdAt, order.expiresAt],
    );
    await execute(
      manager,
      `INSERT INTO order_items (order_id, product_id, unit_price, quantity, line_amount) VALUES ${valuesList(order.items.length, 5)}`,
      order.items.flatMap((item) => [orderId, item.productId, item.unitPrice, item.quantity, item.lineAmount]),
    );
    return orderId;
  }

  /** Orders of the user still payable at `now`: PENDING_PAYMENT and not past their deadline. */
  async countPayable(manager: EntityManager, userId: number, now: Date): Promise<number> {
    const row = await selectOne<{ count: number }>(
      manager,
      'SELECT COUNT(*) AS count FROM orders WHERE user_id = ? AND status = ? AND expires_at > ?',
      [userId, OrderStatus.PENDING_PAYMENT, now],
    );
    return Number(row?.count ?? 0);
  }

  findWithItems(manager: EntityManager, id: number): Promise<Order | null> {
    return manager.findOne(Order, { where: { id }, relations: { items: true }, order: { items: { productId: 'ASC' } } });
  }

  /**
   * Locks the order's row and reads its lines in the same statement. The lines come from a
   * subquery, which a locking read does not lock (MySQL and MariaDB alike): only the order's row is
   * locked, as by a plain `SELECT … FOR UPDATE`, and no next-key lock on order_items holds up the
   * lines of orders placed meanwhile. Lines never change once written, so the subquery's snapshot
   * sees them all.
   */
  async findWithLinesForUpdate(manager: EntityManager, id: number): Promise<OrderWithLines | null> {
    const row = await selectOne<StoredOrder & { lineTuples: string | LineTuple[] | null }>(
      manager,
      `SELECT ${ORDER_COLUMNS},
         (SELECT JSON_ARRAYAGG(JSON_ARRAY(product_id, unit_price, quantity, line_amount)) FROM order_items WHERE order_id = orders.id) AS lineTuples
       FROM orders WHERE id = ? FOR UPDATE`,
      [id],
    );
    if (row === null) return null;
    const { lineTuples, ...order } = row;
    return { order, items: linesFromJson(id, lineTuples) };
  }

  /**
   * Up to `limit` of the user's orders with ids below `beforeId`, newest first; with `seen`, only
   * those a client sees in that status at `now` (see effectiveStatus). Each form is one or two
   * range reads of the (user_id, id) or (user_id, status, id) index that stop after `limit` rows,
   * so a page costs the same however many orders the user has.
   */
  findPageByUser(manager: EntityManager, userId: number, limit: number, beforeId: number | undefined, seen: OrderStatus | undefined, now: Date): Promise<StoredOrder[]> {
    const before = beforeId === undefined ? '' : ' AND id < ?';
    const range = (condition: string, params: unknown[]) => ({
      sql: `SELECT ${ORDER_COLUMNS} FROM orders WHERE user_id = ?${condition}${before} ORDER BY id DESC LIMIT ?`,
      params: [userId, ...params, ...(beforeId === undefined ? [] : [beforeId]), limit],
    });
    if (seen === OrderStatus.EXPIRED) {
      // Expired by the sweep, or unpaid past the deadline and not swept yet: two ranges, merged.
      const swept = range(' AND status = ?', [OrderStatus.EXPIRED]);
      const due = range(' AND status = ? AND expires_at <= ?', [OrderStatus.PENDING_PAYMENT, now]);
      return selectRows(manager, `(${swept.sql}) UNION ALL (${due.sql}) ORDER BY id DESC LIMIT ?`, [...swept.params, ...due.params, limit]);
    }
    const { sql, params } =
      seen === undefined
        ? range('', [])
        : seen === OrderStatus.PENDING_PAYMENT
          ? range(' AND status = ? AND expires_at > ?', [seen, now])
          : range(' AND status = ?', [seen]);
    return selectRows(manager, sql, params);
  }

  /** The lines of the orders, by order, each order's ascending by product id. */
  findItemsOfOrders(manager: EntityManager, orderIds: number[]): Promise<OrderLine[]> {
    return selectRows(
      manager,
      `SELECT order_id AS orderId, product_id AS productId, unit_price AS unitPrice, quantity, line_amount AS lineAmount
         FROM order_items WHERE order_id IN (${placeholders(orderIds)}) ORDER BY order_id, product_id`,
      orderIds,
    );
  }

  /**
   * The only write of an order's status: one conditional UPDATE that moves the orders to `to` only
   * from a status the state machine allows (order-status.ts), stamping the move's time (`at`) on
   * paid_at, canceled_at or refunded_at; returns how many moved. Concurrent moves of one order
   * (a payment, a cancel, the expiry sweep) hold its row lock in turn, so it moves once.
   */
  async moveStatus(manager: EntityManager, ids: number[], to: OrderStatus, at?: Date): Promise<number> {
    const from = statusesBefore(to);
    const timeColumn = STATUS_TIME_COLUMN[to];
    if ((timeColumn === undefined) !== (at === undefined)) throw new Error(`a move to ${to} ${at === undefined ? 'needs' : 'takes no'} time`);
    const stamp = timeColumn === undefined ? '' : `, ${timeColumn} = ?`;
    const result = await execute(
      manager,
      `UPDATE orders SET status = ?${stamp} WHERE id IN (${placeholders(ids)}) AND status IN (${placeholders(from)})`,
      [to, ...(at === undefined ? [] : [at]), ...ids, ...from],
    );
    return result.affectedRows;
  }

  /** Unpaid orders past their deadline; rows another worker is expiring are skipped, not waited for. */
  async findDueForExpiryForUpdate(manager: EntityManager, now: Date, limit: number): Promise<number[]> {
    const rows = await selectRows<{ id: number }>(
      manager,
      'SELECT id FROM orders WHERE status = ? AND expires_at <= ? ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED',
      [OrderStatus.PENDING_PAYMENT, now, limit],
    );
    return rows.map((row) => row.id);
  }

  /** Units per product over the given orders, ascending by product id. */
  async sumQuantitiesByProduct(manager: EntityManager, orderIds: number[]): Promise<StockChange[]> {
    const rows = await selectRows<StockChange>(
      manager,
      `SELECT product_id AS productId, SUM(quantity) AS quantity FROM order_items WHERE order_id IN (${placeholders(orderIds)}) GROUP BY product_id ORDER BY product_id`,
      orderIds,
    );
    return rows.map((row) => ({ productId: row.productId, quantity: Number(row.quantity) }));
  }
}

/**
 * The order's lines from the locking read's JSON aggregate, ascending by product id. MariaDB answers
 * JSON as text, MySQL as JSON (which mysql2 parses); MySQL cannot order an aggregate.
 */
export function linesFromJson(orderId: number, lineTuples: string | LineTuple[] | null): OrderLine[] {
  const tuples: LineTuple[] = typeof lineTuples === 'string' ? JSON.parse(lineTuples) : (lineTuples ?? []);
  const items = tuples.map(([productId, unitPrice, quantity, lineAmount]) => ({ orderId, productId, unitPrice, quantity, lineAmount }));
  return items.sort((a, b) => a.productId - b.productId);
}
