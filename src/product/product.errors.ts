import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';

export class ProductNotFoundError extends DomainError {
  readonly code = 'PRODUCT_NOT_FOUND';
  readonly status = HttpStatus.NOT_FOUND;

  constructor(productId: number) {
    super(`product ${productId} does not exist`);
  }
}

export class OutOfStockError extends DomainError {
  readonly code = 'OUT_OF_STOCK';
  readonly status = HttpStatus.CONFLICT;

  constructor(productIds: number[]) {
    super(`not enough stock for product ${productIds.join(', ')}`);
  }
}
