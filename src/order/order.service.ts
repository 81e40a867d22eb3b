import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { CouponService } from '../coupon/coupon.service';
import { discountAmount } from '../coupon/discount';
import { toCursorPage } from '../database/cursor-page';
import { ProductService } from '../product/product.service';
import type { StockChange } from '../product/product.types';
import { UserService } from '../user/user.service';
import { OrderNotFoundError, OrderNotPayableError, TooManyPendingOrdersError } from './order.errors';
import { OrderRepository } from './order.repository';
import { canTransition, effectiveStatus, OrderStatus } from './order-status';
import { NewOrder, OrderListQuery, OrderPage, OrderView, OrderWithLines, PlaceOrderCommand, StoredOrder } from './order.types';

@Injectable()
export class OrderService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: OrderRepository,
    private readonly products: ProductService,
    private readonly users: UserService,
    private readonly coupons: CouponService,
    private readonly config: AppConfig,
  ) {}

  /**
   * In the caller's transaction: prices the order with plain reads, then inserts it and takes the
   * stock of every line last, in one conditional UPDATE, so the (possibly hot) product rows stay
   * locked only until the COMMIT.
   */
  async placeOrder(manager: EntityManager, command: PlaceOrderCommand): Promise<OrderView> {
    const lines = [...command.items].sort((a, b) => a.productId - b.productId);
    // First, before any plain read: one user's orders are placed one at a time, so the count of
    // unpaid orders sees every order committed before this one.
    await this.users.lockExisting(manager, command.userId);
    await this.requireRoomForOne(manager, command.userId);
    const order = await this.priceOrder(manager, command.userId, lines, command.couponId);
    const orderId = await this.orders.insert(manager, order);
    await this.products.takeStock(manager, lines);
    return { ...order, id: orderId, paidAt: null, canceledAt: null, refundedAt: null, items: order.items.map((item) => ({ ...item, orderId })) };
  }

  /** The user's order as they see it now; another user's is answered like a missing one, so its existence is not revealed. */
  async getOrder(orderId: number, userId: number): Promise<OrderView> {
    const order = await this.orders.findWithItems(this.dataSource.manager, orderId);
    if (!order?.items || order.userId !== userId) throw new OrderNotFoundError(orderId);
    return { ...seenAt(order, new Date()), items: order.items };
  }

  /** A page of the user's orders, newest first, each with its lines and the status the user sees. */
  async listUserOrders(userId: number, { status, limit, cursor }: OrderListQuery): Promise<OrderPage> {
    const manager = this.dataSource.manager;
    const now = new Date();
    const page = toCursorPage(await this.orders.findPageByUser(manager, userId, limit + 1, cursor, status, now), limit);
    // A user with orders exists (a foreign key says so); only an empty page needs to ask.
    if (page.items.length === 0) await this.users.requireExists(manager, userId);
    return { items: await this.withItems(manager, page.items, now), nextCursor: page.nextCursor };
  }

  /**
   * For a payment, in its transaction: locks the order (the first lock a payment takes) and returns
   * it and its lines with the moment it was found payable by `userId`, after the lock was granted —
   * the payment's time. ORDER_NOT_FOUND (also for another user's order) or ORDER_NOT_PAYABLE (paid,
   * canceled, or past its deadline) otherwise.
   */
  async lockPayable(manager: EntityManager, orderId: number, userId: number): Promise<OrderWithLines & { paidAt: Date }> {
    const found = await this.orders.findWithLinesForUpdate(manager, orderId);
    if (!found || found.order.userId !== userId) throw new OrderNotFoundError(orderId);
    const paidAt = new Date();
    const status = effectiveStatus(found.order, paidAt);
    if (!canTransition(status, OrderStatus.PAID)) throw new OrderNotPayableError(orderId, status);
    return { ...found, paidAt };
  }

  /** For a payment, in its transaction, after lockPayable: PENDING_PAYMENT → PAID. */
  async markPaid(manager: EntityManager, orderId: number, paidAt: Date): Promise<void> {
    if ((await this.orders.moveStatus(manager, [orderId], OrderStatus.PAID, paidAt)) !== 1) {
      throw new OrderNotPayableError(orderId, OrderStatus.PAID);
    }
  }

  private async withItems(manager: EntityManager, orders: StoredOrder[], now: Date): Promise<OrderView[]> {
    if (orders.length === 0) return [];
    const lines = await this.orders.findItemsOfOrders(manager, orders.map((order) => order.id));
    return orders.map((order) => ({ ...seenAt(order, now), items: lines.filter((line) => line.orderId === order.id) }));
  }

  /** At most MAX_PENDING_ORDERS_PER_USER payable orders; one past its deadline frees its place even before the expiry job. */
  private async requireRoomForOne(manager: EntityManager, userId: number): Promise<void> {
    const limit = this.config.limits.maxPendingOrdersPerUser;
    if ((await this.orders.countPayable(manager, userId, new Date())) >= limit) throw new TooManyPendingOrdersError(limit);
  }

  /**
   * Everything checked without locks: prices never change once a product exists, a sold-out
   * product is refused here instead of queueing on its row lock, and the coupon is checked again
   * under a lock when the order is paid.
   */
  private async priceOrder(manager: EntityManager, userId: number, lines: StockChange[], couponId?: number | null): Promise<NewOrder> {
    const products = await this.products.requireInStock(manager, lines);
    const items = lines.map(({ productId, quantity }, i) => ({ productId, quantity, unitPrice: products[i].price, lineAmount: products[i].price * quantity }));

    const createdAt = new Date();
    const totalAmount = items.reduce((sum, item) => sum + item.lineAmount, 0);
    const coupon = couponId === undefined || couponId === null ? null : await this.coupons.requireUsable(manager, userId, couponId, createdAt);
    const discount = coupon ? discountAmount(coupon, totalAmount) : 0;
    return {
      userId,
      status: OrderStatus.PENDING_PAYMENT,
      totalAmount,
      discountAmount: discount,
      payAmount: totalAmount - discount,
      couponId: couponId ?? null,
      createdAt,
      expiresAt: new Date(createdAt.getTime() + this.config.orders.paymentTimeoutSeconds * 1_000),
      items,
    };
  }
}

/** The order with the status a client sees at `now`. */
function seenAt<T extends StoredOrder>(order: T, now: Date): T {
  return { ...order, status: effectiveStatus(order, now) };
}
