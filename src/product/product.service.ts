import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { toCursorPage } from '../database/cursor-page';
import { TransactionRunner } from '../database/transaction-runner';
import { Product } from './entities/product.entity';
import { ProductNotFoundError } from './product.errors';
import { ProductRepository } from './product.repository';
import { NewProduct, ProductPage, ProductRowsWithTotal, ProductView } from './product.types';

@Injectable()
export class ProductService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly products: ProductRepository,
  ) {}

  createProduct(product: NewProduct): Promise<Product> {
    return this.transactions.run('createProduct', async (manager) => {
      const created = await this.products.create(manager, product);
      // Last, so concurrent creations queue on the count row only until their commits.
      await this.products.addToCount(manager, 1);
      return created;
    });
  }

  async getProduct(productId: number): Promise<ProductView> {
    const product = await this.products.findById(this.dataSource.manager, productId);
    if (!product) throw new ProductNotFoundError(productId);
    return product;
  }

  /** Page `page` of `size` products; the caller keeps page × size small (the rows before it are walked). */
  async listProducts(page: number, size: number): Promise<ProductPage> {
    return toProductPage(await this.products.findAtOffset(this.dataSource.manager, (page - 1) * size, size + 1), size);
  }

  /** The `size` products after `afterId`: the same cost at any depth. */
  async listProductsAfter(afterId: number, size: number): Promise<ProductPage> {
    return toProductPage(await this.products.findAfter(this.dataSource.manager, afterId, size + 1), size);
  }
}

function toProductPage({ rows, total }: ProductRowsWithTotal, size: number): ProductPage {
  return { ...toCursorPage(rows, size), total };
}
