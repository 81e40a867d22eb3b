import { ApiProperty } from '@nestjs/swagger';
import { ValidateBy, ValidationArguments } from 'class-validator';
import { CursorQuery, IntField, IntQuery, NameField } from '../../validation/decorators';
import { MAX_STOCK } from '../product.rules';
import type { ProductPage, ProductView } from '../product.types';

const MAX_PRICE = 100_000_000;

export class CreateProductRequest {
  @NameField({ example: 'Wireless earbuds' })
  name: string;

  @IntField(1, MAX_PRICE, { example: 89_000, description: 'Won per unit' })
  price: number;

  @IntField(0, MAX_STOCK, { example: 100 })
  stock: number;
}

export class RestockRequest {
  @IntField(1, MAX_STOCK, { example: 100, description: 'Units to add to the stock' })
  quantity: number;
}

/** A page number reaches at most this many products deep; the cursor goes on from there. */
export const MAX_PAGE_DEPTH = 10_000;

/** `page` × `size` (default 20) at most MAX_PAGE_DEPTH; an invalid size is reported on its own. */
function WithinPageDepth(): PropertyDecorator {
  const sizeOf = (args: ValidationArguments) => (args.object as ListProductsQuery).size;
  return ValidateBy({
    name: 'withinPageDepth',
    validator: {
      validate: (page: unknown, args) => typeof page !== 'number' || typeof sizeOf(args!) !== 'number' || page * sizeOf(args!) <= MAX_PAGE_DEPTH,
      defaultMessage: (args) =>
        `page must be at most ${Math.floor(MAX_PAGE_DEPTH / sizeOf(args!))} for size ${sizeOf(args!)} (page × size ≤ ${MAX_PAGE_DEPTH}); walk on with nextCursor`,
    },
  });
}

function NotWithCursor(): PropertyDecorator {
  return ValidateBy({
    name: 'notWithCursor',
    validator: {
      validate: (_value: unknown, args) => (args!.object as ListProductsQuery).cursor === undefined,
      defaultMessage: () => 'page must not be given together with cursor',
    },
  });
}

export class ListProductsQuery {
  @IntQuery(1, MAX_PAGE_DEPTH, 1)
  @WithinPageDepth()
  @NotWithCursor()
  page?: number;

  @IntQuery(1, 100, 20) size = 20;

  @CursorQuery() cursor?: string;
}

export class ProductResponse {
  @ApiProperty({ type: 'integer', example: 1 }) id: number;
  @ApiProperty({ example: 'Wireless earbuds' }) name: string;
  @ApiProperty({ type: 'integer', example: 89_000, description: 'Won per unit' }) price: number;
  @ApiProperty({ type: 'integer', example: 100, description: 'Units that can still be ordered' }) stock: number;
}

export class ProductPageResponse {
  @ApiProperty({ type: [ProductResponse] }) items: ProductResponse[];
  @ApiProperty({ type: 'integer', nullable: true, example: 1, description: 'null when the request gave a cursor' }) page: number | null;
  @ApiProperty({ type: 'integer', example: 20 }) size: number;
  @ApiProperty({ type: 'integer', example: 42, description: 'How many products exist' }) total: number;
  @ApiProperty({ type: 'string', nullable: true, example: '20', description: 'Pass as cursor for the next page; null after the last product' })
  nextCursor: string | null;
}

export function toProductResponse(product: ProductView): ProductResponse {
  return { id: product.id, name: product.name, price: product.price, stock: product.stock };
}

export function toProductPageResponse(result: ProductPage, page: number | null, size: number): ProductPageResponse {
  return { items: result.items.map(toProductResponse), page, size, total: result.total, nextCursor: result.nextCursor };
}
