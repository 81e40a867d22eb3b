import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { toCursorPage } from '../database/cursor-page';
import { publicRead } from '../database/read-replicas';
import { TransactionRunner } from '../database/transaction-runner';
import { OutOfStockError, ProductNotFoundError, StockLimitExceededError } from './product.errors';
import { MAX_STOCK } from './product.rules';
import { ProductRepository } from './product.repository';
import { NewProduct, ProductPage, ProductRowsWithTotal, ProductView, StockChange } from './product.types';

@Injectable()
export class ProductService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly products: ProductRepository,
  ) {}

  createProduct(product: NewProduct): Promise<ProductView> {
    return this.transactions.run('createProduct', async (manager) => {
      const created = await this.products.create(manager, product);
      // Last, so concurrent creations queue on the count row only until their commits.
      await this.products.addToCount(manager, 1);
      return created;
    });
  }

  /** Adds `quantity` units to the product's stock (a restock); returns the product with its stock after it. */
  restock(productId: number, quantity: number): Promise<ProductView> {
    return this.transactions.run('restockProduct', async (manager) => {
      const added = await this.products.addStock(manager, productId, quantity, MAX_STOCK);
      // After the UPDATE, which locked the row: the stock it left.
      const product = await this.products.findById(manager, productId);
      if (!product) throw new ProductNotFoundError(productId);
      if (!added) throw new StockLimitExceededError(productId, product.stock, quantity, MAX_STOCK);
      return product;
    });
  }

  // The public reads (GET /products, /products/{id}) may be served by a read replica: `stock` may
  // lag the primary by the replication delay. Orders and restocks read the primary.
  async getProduct(productId: number): Promise<ProductView> {
    const product = await publicRead(this.dataSource, (manager) => this.products.findById(manager, productId));
    if (!product) throw new ProductNotFoundError(productId);
    return product;
  }

  /** Page `page` of `size` products; the caller keeps page × size small (the rows before it are walked). */
  async listProducts(page: number, size: number): Promise<ProductPage> {
    return toProductPage(await publicRead(this.dataSource, (manager) => this.products.findAtOffset(manager, (page - 1) * size, size + 1)), size);
  }

  /** The `size` products after `afterId`: the same cost at any depth. */
  async listProductsAfter(afterId: number, size: number): Promise<ProductPage> {
    return toProductPage(await publicRead(this.dataSource, (manager) => this.products.findAfter(manager, afterId, size + 1)), size);
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

  /** In the caller's transaction, gives stock back (an expired or canceled order); locks rows like takeStock. */
  returnStock(manager: EntityManager, lines: StockChange[]): Promise<void> {
    return this.products.returnStock(manager, lines);
  }
}

function toProductPage({ rows, total }: ProductRowsWithTotal, size: number): ProductPage {
  return { ...toCursorPage(rows, size), total };
}
