import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';

export class OrderNotFoundError extends DomainError {
  readonly code = 'ORDER_NOT_FOUND';
  readonly status = HttpStatus.NOT_FOUND;

  constructor(orderId: number) {
    super(`order ${orderId} does not exist`);
  }
}

export class TooManyPendingOrdersError extends DomainError {
  readonly code = 'TOO_MANY_PENDING_ORDERS';
  readonly status = HttpStatus.CONFLICT;

  constructor(limit: number) {
    super(`the user already has ${limit} unpaid orders: pay or let one expire first`);
  }
}

export class OutOfStockError extends DomainError {
  readonly code = 'OUT_OF_STOCK';
  readonly status = HttpStatus.CONFLICT;

  constructor(productIds: number[]) {
    super(`not enough stock for product ${productIds.join(', ')}`);
  }
}
