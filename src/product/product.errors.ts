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

export class StockLimitExceededError extends DomainError {
  static example = () => new StockLimitExceededError(1, 999_950, 100, 1_000_000);
  readonly code = 'STOCK_LIMIT_EXCEEDED';
  readonly status = HttpStatus.CONFLICT;

  constructor(productId: number, stock: number, quantity: number, limit: number) {
    super(`adding ${quantity} to the stock ${stock} of product ${productId} would pass the limit of ${limit}`);
  }
}
