import type { StockChange } from '../product/product.types';
import type { OrderItem } from './entities/order-item.entity';
import type { Order } from './entities/order.entity';

/** A line of an order as stored. */
export type OrderLine = Omit<OrderItem, 'id' | 'order'>;

/** An order with its lines, as stored. */
export type OrderView = Omit<Order, 'user' | 'items'> & { items: OrderLine[] };

/** A locked order that may be paid now (see OrderService.lockPayable). */
export type PayableOrder = Omit<Order, 'user' | 'items'>;

export type NewOrder = Omit<Order, 'id' | 'items' | 'user' | 'paidAt'> & {
  items: Array<Pick<OrderItem, 'productId' | 'unitPrice' | 'quantity' | 'lineAmount'>>;
};

export interface PlaceOrderCommand {
  userId: number;
  items: StockChange[];
  couponId?: number;
}
