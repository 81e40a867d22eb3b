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

export class OrderNotOwnedError extends DomainError {
  static example = () => new OrderNotOwnedError(10, 1);
  readonly code = 'ORDER_NOT_OWNED';
  readonly status = HttpStatus.FORBIDDEN;

  constructor(orderId: number, userId: number) {
    super(`order ${orderId} does not belong to user ${userId}`);
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
