import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { AggregateRead, RankingRepository, WindowTotalsRead } from './ranking.repository';
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
    config: AppConfig,
  ) {
    this.cache = new TopProductsCache(config.rankingCacheTtlSeconds * 1_000);
  }

  /** The best sellers of the last `days` days, at most RANKING_CACHE_TTL_SECONDS old. */
  getTopProducts(days: number, limit: number): Promise<TopProduct[]> {
    return this.cache.get(`${days}:${limit}`, () => this.computeTopProducts(days, limit, new Date()));
  }

  /**
   * Merges the rolled-up window totals with what they miss (the live tail of pending lines, an
   * hour the roll-up has not reached). The two reads must see the same aggregates: a roll-up
   * committing between them would move lines from one to the other, so then both are read again.
   * The cost depends on `limit` and the tail, not on the order history.
   */
  async computeTopProducts(days: number, limit: number, now: Date): Promise<TopProduct[]> {
    const manager = this.dataSource.manager;
    let deltas: AggregateRead;
    let totals: WindowTotalsRead;
    do {
      deltas = await this.ranking.findWindowDeltas(manager, days, windowStart(now, days));
      // A product outside the top `limit + deltas` by rolled-up total and without a delta has at
      // least `limit` products without a delta above it: it cannot make the ranking.
      const candidates = limit + deltas.quantities.size;
      totals = await this.ranking.findWindowTotals(manager, days, candidates, [...deltas.quantities.keys()]);
    } while (totals.version !== deltas.version);

    return rankTopProducts(totals.quantities, deltas.quantities, limit).map((sale, index) => ({
      rank: index + 1,
      ...sale,
      ...totals.products.get(sale.productId)!,
    }));
  }
}
