import type { CursorPage } from '../database/cursor-page';
import type { StockChange } from '../product/product.types';
import type { OrderItem } from './entities/order-item.entity';
import type { Order } from './entities/order.entity';
import type { OrderStatus } from './order-status';

/** A line of an order as stored. */
export type OrderLine = Omit<OrderItem, 'id' | 'order'>;

/** An order's row, without its lines. */
export type StoredOrder = Omit<Order, 'user' | 'items'>;

/** An order's row and its lines, ascending by product id. */
export interface OrderWithLines {
  order: StoredOrder;
  items: OrderLine[];
}

/** An order with its lines; `status` is the one a client sees (see effectiveStatus). */
export type OrderView = StoredOrder & { items: OrderLine[] };

export type NewOrder = Omit<Order, 'id' | 'items' | 'user' | 'paidAt' | 'canceledAt' | 'refundedAt'> & {
  items: Array<Pick<OrderItem, 'productId' | 'unitPrice' | 'quantity' | 'lineAmount'>>;
};

export interface PlaceOrderCommand {
  userId: number;
  items: StockChange[];
  couponId?: number | null;
}

export interface CancelOrderCommand {
  orderId: number;
  userId: number;
}

/** Which of a user's orders to list: newest first, after the cursor, of one status as a client sees it. */
export interface OrderListQuery {
  status?: OrderStatus;
  limit: number;
  cursor?: number;
}

export type OrderPage = CursorPage<OrderView>;
