import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction-runner';
import { ProductNotFoundError } from '../product/product.errors';
import { ProductRepository, StockChange } from '../product/product.repository';
import { UserNotFoundError } from '../user/user.errors';
import { UserRepository } from '../user/user.repository';
import { OrderItem } from './entities/order-item.entity';
import { Order } from './entities/order.entity';
import { OrderNotFoundError, OutOfStockError } from './order.errors';
import { OrderRepository } from './order.repository';
import { OrderStatus } from './order-status';

/** An order with its lines, as stored. */
export type OrderView = Omit<Order, 'user' | 'items'> & { items: Array<Omit<OrderItem, 'id' | 'order'>> };

export interface PlaceOrderCommand {
  userId: number;
  items: StockChange[];
  couponId?: number;
}

@Injectable()
export class OrderService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly orders: OrderRepository,
    private readonly products: ProductRepository,
    private readonly users: UserRepository,
    private readonly config: AppConfig,
  ) {}

  async placeOrder(command: PlaceOrderCommand): Promise<OrderView> {
    const manager = this.dataSource.manager;
    const lines = [...command.items].sort((a, b) => a.productId - b.productId);
    const productIds = lines.map((line) => line.productId);

    // Checked before the transaction, without locks: prices never change once a product exists,
    // and a sold-out product is refused here instead of queueing on its row lock.
    if (!(await this.users.exists(manager, command.userId))) throw new UserNotFoundError(command.userId);
    const products = new Map((await this.products.findByIds(manager, productIds)).map((p) => [p.id, p]));
    const missing = productIds.find((id) => !products.has(id));
    if (missing !== undefined) throw new ProductNotFoundError(missing);
    const short = lines.filter((line) => products.get(line.productId)!.stock < line.quantity).map((line) => line.productId);
    if (short.length > 0) throw new OutOfStockError(short);

    const items = lines.map(({ productId, quantity }) => {
      const unitPrice = products.get(productId)!.price;
      return { productId, quantity, unitPrice, lineAmount: unitPrice * quantity };
    });
    const totalAmount = items.reduce((sum, item) => sum + item.lineAmount, 0);
    const discountAmount = 0;
    const createdAt = new Date();
    const order = {
      userId: command.userId,
      status: OrderStatus.PENDING_PAYMENT,
      totalAmount,
      discountAmount,
      payAmount: totalAmount - discountAmount,
      couponId: command.couponId ?? null,
      createdAt,
      expiresAt: new Date(createdAt.getTime() + this.config.orderPaymentTimeoutSeconds * 1_000),
      items,
    };

    const orderId = await this.transactions.run('placeOrder', async (tx) => {
      const id = await this.orders.insert(tx, order);
      // Stock is taken last, so the (possibly hot) product rows stay locked only until COMMIT.
      if (!(await this.products.takeStock(tx, lines))) throw new OutOfStockError(productIds);
      return id;
    });
    return { ...order, id: orderId, paidAt: null, items: items.map((item) => ({ ...item, orderId })) };
  }

  async getOrder(orderId: number): Promise<OrderView> {
    const order = await this.orders.findWithItems(this.dataSource.manager, orderId);
    if (!order?.items) throw new OrderNotFoundError(orderId);
    return { ...order, items: order.items };
  }
}
