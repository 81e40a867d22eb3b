import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ProductRepository } from '../product/product.repository';
import { RankingRepository } from './ranking.repository';
import { rankTopProducts, windowStart } from './ranking.rules';
import { TopProductsCache } from './top-products.cache';

export interface TopProduct {
  rank: number;
  productId: number;
  name: string;
  price: number;
  soldQuantity: number;
}

@Injectable()
export class RankingService {
  private readonly cache: TopProductsCache<TopProduct[]>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly ranking: RankingRepository,
    private readonly products: ProductRepository,
    config: AppConfig,
  ) {
    this.cache = new TopProductsCache(config.rankingCacheTtlSeconds * 1_000);
  }

  /** The best sellers of the last `days` days, at most RANKING_CACHE_TTL_SECONDS old. */
  getTopProducts(days: number, limit: number): Promise<TopProduct[]> {
    return this.cache.get(`${days}:${limit}`, () => this.computeTopProducts(days, limit, new Date()));
  }

  /**
   * Reads the rolled-up window totals plus what they miss (the live tail of pending lines, an
   * hour the roll-up has not reached) in one snapshot, so a roll-up committing meanwhile is seen
   * wholly or not at all. Its cost depends on `limit` and the tail, not on the order history.
   */
  async computeTopProducts(days: number, limit: number, now: Date): Promise<TopProduct[]> {
    const { totals, deltas } = await this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const deltas = await this.ranking.findWindowDeltas(manager, days, windowStart(now, days));
      // A product outside the top `limit + deltas.size` by rolled-up total and without a delta
      // has at least `limit` products without a delta above it: it cannot make the ranking.
      const totals = await this.ranking.findWindowTotals(manager, days, limit + deltas.size, [...deltas.keys()]);
      return { totals, deltas };
    });

    const top = rankTopProducts(totals, deltas, limit);
    if (top.length === 0) return [];
    const products = await this.products.findByIds(this.dataSource.manager, top.map((sale) => sale.productId));
    const byId = new Map(products.map((product) => [product.id, product]));
    return top.map((sale, index) => {
      const product = byId.get(sale.productId)!;
      return { rank: index + 1, productId: sale.productId, name: product.name, price: product.price, soldQuantity: sale.soldQuantity };
    });
  }
}
