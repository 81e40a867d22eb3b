import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Product } from './entities/product.entity';

export interface NewProduct {
  name: string;
  price: number;
  stock: number;
}

@Injectable()
export class ProductRepository {
  async create(manager: EntityManager, product: NewProduct): Promise<Product> {
    const result = await manager.insert(Product, product);
    return manager.findOneByOrFail(Product, { id: Number(result.identifiers[0].id) });
  }

  findById(manager: EntityManager, id: number): Promise<Product | null> {
    return manager.findOneBy(Product, { id });
  }

  findPage(manager: EntityManager, page: number, size: number): Promise<[Product[], number]> {
    return manager.findAndCount(Product, { order: { id: 'ASC' }, skip: (page - 1) * size, take: size });
  }
}
