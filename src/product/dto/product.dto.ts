import { ApiProperty } from '@nestjs/swagger';
import { IntField, IntQuery, NameField } from '../../validation/decorators';
import type { ProductView } from '../product.repository';

export const MAX_PRICE = 100_000_000;
export const MAX_STOCK = 1_000_000;

export class CreateProductRequest {
  @NameField({ example: 'Wireless earbuds' })
  name: string;

  @IntField(1, MAX_PRICE, { example: 89_000, description: 'Won per unit' })
  price: number;

  @IntField(0, MAX_STOCK, { example: 100 })
  stock: number;
}

export class ListProductsQuery {
  @IntQuery(1, 1_000_000, 1) page = 1;
  @IntQuery(1, 100, 20) size = 20;
}

export class ProductResponse {
  @ApiProperty({ example: 1 }) id: number;
  @ApiProperty({ example: 'Wireless earbuds' }) name: string;
  @ApiProperty({ example: 89_000, description: 'Won per unit' }) price: number;
  @ApiProperty({ example: 100, description: 'Units that can still be ordered' }) stock: number;
}

export class ProductPageResponse {
  @ApiProperty({ type: [ProductResponse] }) items: ProductResponse[];
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 20 }) size: number;
  @ApiProperty({ example: 42 }) total: number;
}

export function toProductResponse(product: ProductView): ProductResponse {
  return { id: product.id, name: product.name, price: product.price, stock: product.stock };
}
