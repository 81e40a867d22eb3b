import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { OrderStatus } from './order-status';

export class OrderNotFoundError extends DomainError {
  static example = () => new OrderNotFoundError(10);
  readonly code = 'ORDER_NOT_FOUND';
  readonly status = HttpStatus.NOT_FOUND;

  constructor(orderId: number) {
    super(`order ${orderId} does not exist`);
  }
}

export class TooManyPendingOrdersError extends DomainError {
  static example = () => new TooManyPendingOrdersError(5);
  readonly code = 'TOO_MANY_PENDING_ORDERS';
  readonly status = HttpStatus.CONFLICT;

  constructor(limit: number) {
    super(`the user already has ${limit} unpaid orders: pay or let one expire first`);
  }
}

export class OrderNotPayableError extends DomainError {
  static example = () => new OrderNotPayableError(10, OrderStatus.PAID);
  readonly code = 'ORDER_NOT_PAYABLE';
  readonly status = HttpStatus.CONFLICT;

  constructor(orderId: number, status: OrderStatus) {
    super(`order ${orderId} is ${status} and cannot be paid`);
  }
}

export class OrderNotCancelableError extends DomainError {
  static example = () => new OrderNotCancelableError(10, OrderStatus.EXPIRED);
  readonly code = 'ORDER_NOT_CANCELABLE';
  readonly status = HttpStatus.CONFLICT;

  /** `status` is the order's as a client sees it; a PAID one was paid longer ago than the refund window. */
  constructor(orderId: number, status: OrderStatus, refundWindowDays?: number) {
    super(
      status === OrderStatus.PAID
        ? `order ${orderId} was paid more than ${refundWindowDays} days ago and cannot be canceled`
        : `order ${orderId} is ${status} and cannot be canceled`,
    );
  }
}
