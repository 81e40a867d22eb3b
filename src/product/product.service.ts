import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Product } from './entities/product.entity';
import { ProductNotFoundError } from './product.errors';
import { NewProduct, ProductRepository, ProductView } from './product.repository';

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
}
