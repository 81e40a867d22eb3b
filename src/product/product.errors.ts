import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';

export class ProductNotFoundError extends DomainError {
  readonly code = 'PRODUCT_NOT_FOUND';
  readonly status = HttpStatus.NOT_FOUND;

  constructor(productId: number) {
    super(`product ${productId} does not exist`);
  }
}
