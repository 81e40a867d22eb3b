import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { publicRead } from '../database/read-replicas';
import { RankingRepository } from './ranking.repository';
import { rankTopProducts, windowStart } from './ranking.rules';
import { AggregateRead, SoldLine, TopProduct, WindowTotalsRead } from './ranking.types';
import { TopProductsCache } from './top-products.cache';

@Injectable()
export class RankingService {
  private readonly cache: TopProductsCache<TopProduct[]>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly ranking: RankingRepository,
    config: AppConfig,
  ) {
    this.cache = new TopProductsCache(config.ranking.cacheTtlSeconds * 1_000);
  }

  /**
   * For a payment, in its transaction: appends the paid lines for the roll-up. Inserts only, so
   * payments of one hot product share no row.
   */
  recordSales(manager: EntityManager, lines: SoldLine[], paidAt: Date): Promise<void> {
    return this.ranking.appendSales(manager, lines, paidAt);
  }

  /**
   * For a refund, in its transaction: appends the order's lines with negative quantities at the
   * time it was paid, so the roll-up takes them out of the hour and every window they were counted
   * in, and reads subtract them at once.
   */
  recordRefund(manager: EntityManager, lines: SoldLine[], paidAt: Date): Promise<void> {
    return this.ranking.appendSales(
      manager,
      lines.map(({ productId, quantity }) => ({ productId, quantity: -quantity })),
      paidAt,
    );
  }

  /** The best sellers of the last `days` days, at most RANKING_CACHE_TTL_SECONDS old. */
  getTopProducts(days: number, limit: number): Promise<TopProduct[]> {
    return this.cache.get(`${days}:${limit}`, () => this.computeTopProducts(days, limit, new Date()));
  }

  /**
   * Merges the rolled-up window totals with what they miss (the live tail of pending lines, an
   * hour the roll-up has not reached). The two reads must see the same aggregates: a roll-up
   * committing between them would move lines from one to the other, so then both are read again.
   * The cost depends on `limit` and the tail, not on the order history. A public read: both reads
   * run on one read replica when there are replicas (the roll-up itself writes on the primary).
   */
  async computeTopProducts(days: number, limit: number, now: Date): Promise<TopProduct[]> {
    const { deltas, totals } = await publicRead(this.dataSource, (manager) => this.readAggregates(manager, days, limit, now));
    return rankTopProducts(totals.quantities, deltas.quantities, limit).map((sale, index) => ({
      rank: index + 1,
      ...sale,
      ...totals.products.get(sale.productId)!,
    }));
  }

  private async readAggregates(manager: EntityManager, days: number, limit: number, now: Date): Promise<{ deltas: AggregateRead; totals: WindowTotalsRead }> {
    let deltas: AggregateRead;
    let totals: WindowTotalsRead;
    do {
      deltas = await this.ranking.findWindowDeltas(manager, days, windowStart(now, days));
      // A product outside the top `limit + deltas` by rolled-up total and without a delta has at
      // least `limit` products without a delta above it: it cannot make the ranking.
      const candidates = limit + deltas.quantities.size;
      totals = await this.ranking.findWindowTotals(manager, days, candidates, [...deltas.quantities.keys()]);
    } while (totals.version !== deltas.version);
    return { deltas, totals };
  }
}
