import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';

export class ProductNotFoundError extends DomainError {
  static example = () => new ProductNotFoundError(1);
  readonly code = 'PRODUCT_NOT_FOUND';
  readonly status = HttpStatus.NOT_FOUND;

  constructor(productId: number) {
    super(`product ${productId} does not exist`);
  }
}

export class OutOfStockError extends DomainError {
  static example = () => new OutOfStockError([1]);
  readonly code = 'OUT_OF_STOCK';
  readonly status = HttpStatus.CONFLICT;

  constructor(productIds: number[]) {
    super(`not enough stock for product ${productIds.join(', ')}`);
  }
}
