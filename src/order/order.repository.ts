import { Injectable } from '@nestjs/common';
import { EntityManager, In, LessThanOrEqual } from 'typeorm';
import { OrderItem } from './entities/order-item.entity';
import { Order } from './entities/order.entity';
import { StockChange } from '../product/product.repository';
import { OrderStatus } from './order-status';

export type NewOrder = Omit<Order, 'id' | 'items' | 'user' | 'paidAt'> & {
  items: Array<Pick<OrderItem, 'productId' | 'unitPrice' | 'quantity' | 'lineAmount'>>;
};

@Injectable()
export class OrderRepository {
  /** Inserts the order and its lines; returns the order id. */
  async insert(manager: EntityManager, order: NewOrder): Promise<number> {
    const { items, ...row } = order;
    const result = await manager.insert(Order, row);
    const orderId = Number(result.identifiers[0].id);
    await manager.insert(
      OrderItem,
      items.map((item) => ({ ...item, orderId })),
    );
    return orderId;
  }

  findWithItems(manager: EntityManager, id: number): Promise<Order | null> {
    return manager.findOne(Order, { where: { id }, relations: { items: true }, order: { items: { productId: 'ASC' } } });
  }

  findByIdForUpdate(manager: EntityManager, id: number): Promise<Order | null> {
    return manager.findOne(Order, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  findItems(manager: EntityManager, orderId: number): Promise<OrderItem[]> {
    return manager.find(OrderItem, { where: { orderId }, order: { productId: 'ASC' } });
  }

  async markPaid(manager: EntityManager, id: number, paidAt: Date): Promise<void> {
    await manager.update(Order, { id }, { status: OrderStatus.PAID, paidAt });
  }

  /** Unpaid orders past their deadline; rows another worker is expiring are skipped, not waited for. */
  findDueForExpiryForUpdate(manager: EntityManager, now: Date, limit: number): Promise<Order[]> {
    return manager.find(Order, {
      select: { id: true },
      where: { status: OrderStatus.PENDING_PAYMENT, expiresAt: LessThanOrEqual(now) },
      order: { id: 'ASC' },
      take: limit,
      lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' },
    });
  }

  async markExpired(manager: EntityManager, ids: number[]): Promise<void> {
    await manager.update(Order, { id: In(ids), status: OrderStatus.PENDING_PAYMENT }, { status: OrderStatus.EXPIRED });
  }

  /** Units per product over the given orders, ascending by product id. */
  async sumQuantitiesByProduct(manager: EntityManager, orderIds: number[]): Promise<StockChange[]> {
    const rows = await manager
      .createQueryBuilder(OrderItem, 'item')
      .select('item.productId', 'productId')
      .addSelect('SUM(item.quantity)', 'quantity')
      .where('item.orderId IN (:...orderIds)', { orderIds })
      .groupBy('item.productId')
      .orderBy('item.productId', 'ASC')
      .getRawMany<{ productId: number; quantity: number }>();
    return rows.map((row) => ({ productId: Number(row.productId), quantity: Number(row.quantity) }));
  }
}
