import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { execute, placeholders, selectOne, selectRows, valuesList } from '../database/sql';
import type { StockChange } from '../product/product.types';
import { Order } from './entities/order.entity';
import { OrderStatus, statusesBefore } from './order-status';
import { NewOrder, OrderLine } from './order.types';

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

  findByIdForUpdate(manager: EntityManager, id: number): Promise<Order | null> {
    return selectOne(
      manager,
      `SELECT id, user_id AS userId, status, total_amount AS totalAmount, discount_amount AS discountAmount, pay_amount AS payAmount,
              coupon_id AS couponId, created_at AS createdAt, expires_at AS expiresAt, paid_at AS paidAt
         FROM orders WHERE id = ? FOR UPDATE`,
      [id],
    );
  }

  findItems(manager: EntityManager, orderId: number): Promise<OrderLine[]> {
    return selectRows(
      manager,
      `SELECT order_id AS orderId, product_id AS productId, unit_price AS unitPrice, quantity, line_amount AS lineAmount
         FROM order_items WHERE order_id = ? ORDER BY product_id`,
      [orderId],
    );
  }

  /**
   * The only write of an order's status: one conditional UPDATE that moves the orders to `to` only
   * from a status the state machine allows (order-status.ts); returns how many moved.
   */
  async moveStatus(manager: EntityManager, ids: number[], to: OrderStatus, paidAt?: Date): Promise<number> {
    const from = statusesBefore(to);
    const paid = paidAt === undefined ? '' : ', paid_at = ?';
    const result = await execute(
      manager,
      `UPDATE orders SET status = ?${paid} WHERE id IN (${placeholders(ids)}) AND status IN (${placeholders(from)})`,
      [to, ...(paidAt === undefined ? [] : [paidAt]), ...ids, ...from],
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
