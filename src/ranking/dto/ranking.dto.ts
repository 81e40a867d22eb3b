import { ApiProperty } from '@nestjs/swagger';
import { IntQuery } from '../../validation/decorators';
import { MAX_RANKING_DAYS, MAX_RANKING_LIMIT } from '../ranking.rules';
import type { TopProduct } from '../ranking.types';

export class TopProductsQuery {
  @IntQuery(1, MAX_RANKING_DAYS, 3) days = 3;
  @IntQuery(1, MAX_RANKING_LIMIT, 5) limit = 5;
}

export class TopProductItem {
  @ApiProperty({ type: 'integer', example: 1, description: '1-based position' }) rank: number;
  @ApiProperty({ type: 'integer', example: 7 }) productId: number;
  @ApiProperty({ example: 'Wireless earbuds' }) name: string;
  @ApiProperty({ type: 'integer', example: 89_000, description: 'Won per unit' }) price: number;
  @ApiProperty({ type: 'integer', example: 42, description: 'Units in orders paid within the window' }) soldQuantity: number;
}

export class TopProductsResponse {
  @ApiProperty({ type: [TopProductItem] }) items: TopProductItem[];
}

export function toTopProductsResponse(products: TopProduct[]): TopProductsResponse {
  return {
    items: products.map(({ rank, productId, name, price, soldQuantity }) => ({ rank, productId, name, price, soldQuantity })),
  };
}
