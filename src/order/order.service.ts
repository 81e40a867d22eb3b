import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { requireUsableCoupon } from '../coupon/coupon.rules';
import { CouponRepository } from '../coupon/coupon.repository';
import { discountAmount } from '../coupon/discount';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { ProductNotFoundError } from '../product/product.errors';
import { ProductRepository, StockChange } from '../product/product.repository';
import { UserNotFoundError } from '../user/user.errors';
import { UserRepository } from '../user/user.repository';
import { OrderResponse, toOrderResponse } from './dto/order.dto';
import { OrderItem } from './entities/order-item.entity';
import { Order } from './entities/order.entity';
import { OrderNotFoundError, OutOfStockError } from './order.errors';
import { NewOrder, OrderRepository } from './order.repository';
import { OrderStatus } from './order-status';
import { PendingOrderLimit } from './pending-order-limit';

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
    private readonly idempotency: IdempotencyService,
    private readonly orders: OrderRepository,
    private readonly products: ProductRepository,
    private readonly users: UserRepository,
    private readonly coupons: CouponRepository,
    private readonly config: AppConfig,
    private readonly pendingOrderLimit: PendingOrderLimit,
  ) {}

  /**
   * Prices the order with plain reads, then inserts it and takes the stock of every line last, in
   * one conditional UPDATE: the (possibly hot) product rows stay locked only until the COMMIT.
   */
  placeOrder(command: PlaceOrderCommand, idempotencyKey?: string): Promise<OrderResponse> {
    const lines = [...command.items].sort((a, b) => a.productId - b.productId);
    const operation = { operation: 'placeOrder', userId: command.userId, key: idempotencyKey, request: command };
    return this.idempotency.run(operation, async (manager) => {
      await this.pendingOrderLimit.requireRoomForOne(manager, command.userId);
      const order = await this.priceOrder(manager, command.userId, lines, command.couponId);
      const orderId = await this.orders.insert(manager, order);
      if (!(await this.products.takeStock(manager, lines))) throw new OutOfStockError(lines.map((line) => line.productId));
      return toOrderResponse({ ...order, id: orderId, paidAt: null, items: order.items.map((item) => ({ ...item, orderId })) });
    });
  }

  async getOrder(orderId: number): Promise<OrderView> {
    const order = await this.orders.findWithItems(this.dataSource.manager, orderId);
    if (!order?.items) throw new OrderNotFoundError(orderId);
    return { ...order, items: order.items };
  }

  /**
   * Everything checked without locks: prices never change once a product exists, a sold-out
   * product is refused here instead of queueing on its row lock, and the coupon is checked again
   * under a lock when the order is paid.
   */
  private async priceOrder(manager: EntityManager, userId: number, lines: StockChange[], couponId?: number): Promise<NewOrder> {
    if (!(await this.users.exists(manager, userId))) throw new UserNotFoundError(userId);
    const products = new Map((await this.products.findByIds(manager, lines.map((line) => line.productId))).map((p) => [p.id, p]));
    const items = lines.map(({ productId, quantity }) => {
      const product = products.get(productId);
      if (!product) throw new ProductNotFoundError(productId);
      return { productId, quantity, unitPrice: product.price, lineAmount: product.price * quantity };
    });
    const short = lines.filter((line) => products.get(line.productId)!.stock < line.quantity);
    if (short.length > 0) throw new OutOfStockError(short.map((line) => line.productId));

    const createdAt = new Date();
    const totalAmount = items.reduce((sum, item) => sum + item.lineAmount, 0);
    const coupon = couponId === undefined ? null : requireUsableCoupon(await this.coupons.findHeldCoupon(manager, userId, couponId), userId, couponId, createdAt);
    const discount = coupon ? discountAmount(coupon, totalAmount) : 0;
    return {
      userId,
      status: OrderStatus.PENDING_PAYMENT,
      totalAmount,
      discountAmount: discount,
      payAmount: totalAmount - discount,
      couponId: couponId ?? null,
      createdAt,
      expiresAt: new Date(createdAt.getTime() + this.config.orderPaymentTimeoutSeconds * 1_000),
      items,
    };
  }
}
