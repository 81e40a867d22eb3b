import type { Product } from './entities/product.entity';

/** What the API shows of a product. */
export type ProductView = Pick<Product, 'id' | 'name' | 'price' | 'stock'>;

export interface NewProduct {
  name: string;
  price: number;
  stock: number;
}

/** Units of one product taken by an order line, or given back. */
export interface StockChange {
  productId: number;
  quantity: number;
}
