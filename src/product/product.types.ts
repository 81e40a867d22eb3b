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

/** Products in id order and how many products exist, read in the same snapshot. */
export interface ProductRowsWithTotal {
  rows: ProductView[];
  total: number;
}

/** A page of products in id order, the cursor after it (null on the last page), and how many products exist. */
export interface ProductPage {
  items: ProductView[];
  nextCursor: string | null;
  total: number;
}
