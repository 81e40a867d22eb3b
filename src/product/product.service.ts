import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Product } from './entities/product.entity';
import { OutOfStockError, ProductNotFoundError } from './product.errors';
import { ProductRepository } from './product.repository';
import { NewProduct, ProductView, StockChange } from './product.types';

@Injectable()
export class ProductService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly products: ProductRepository,
  ) {}

  createProduct(product: NewProduct): Promise<Product> {
    return this.products.create(this.dataSource.manager, product);
  }

  async getProduct(productId: number): Promise<ProductView> {
    const product = await this.products.findById(this.dataSource.manager, productId);
    if (!product) throw new ProductNotFoundError(productId);
    return product;
  }

  listProducts(page: number, size: number): Promise<[Product[], number]> {
    return this.products.findPage(this.dataSource.manager, page, size);
  }

  /**
   * The product of each line, in the lines' order, with one plain read (no lock): PRODUCT_NOT_FOUND
   * for the first unknown one, then OUT_OF_STOCK naming every line short of stock at this moment,
   * so a sold-out product is refused without queueing on its row lock.
   */
  async requireInStock(manager: EntityManager, lines: StockChange[]): Promise<ProductView[]> {
    const found = new Map((await this.products.findByIds(manager, lines.map((line) => line.productId))).map((p) => [p.id, p]));
    const products = lines.map(({ productId }) => {
      const product = found.get(productId);
      if (!product) throw new ProductNotFoundError(productId);
      return product;
    });
    const short = lines.filter((line, i) => products[i].stock < line.quantity);
    if (short.length > 0) throw new OutOfStockError(short.map((line) => line.productId));
    return products;
  }

  /**
   * In the caller's transaction, takes the stock of every line with one conditional UPDATE, or
   * OUT_OF_STOCK for all of them. It locks the product rows in ascending id order, until the commit.
   */
  async takeStock(manager: EntityManager, lines: StockChange[]): Promise<void> {
    if (!(await this.products.takeStock(manager, lines))) throw new OutOfStockError(lines.map((line) => line.productId));
  }

  /** In the caller's transaction, gives stock back (an expired order); locks rows like takeStock. */
  returnStock(manager: EntityManager, lines: StockChange[]): Promise<void> {
    return this.products.returnStock(manager, lines);
  }
}
