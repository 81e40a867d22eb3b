export const MAX_RANKING_DAYS = 30;
export const MAX_RANKING_LIMIT = 100;
const HOUR_MS = 3_600_000;

export interface RankedSale {
  productId: number;
  soldQuantity: number;
}

/** The start of the UTC hour `time` falls in. */
export function floorHour(time: Date): Date {
  return new Date(Math.floor(time.getTime() / HOUR_MS) * HOUR_MS);
}

/**
 * The far edge of a `days` window at `now`: sales paid at or after it count. It is the start of
 * the hour `days × 24 h` ago, so whole hourly buckets are in or out; the window is up to one hour
 * longer than `days` at its far edge, never shorter, and exact at its near edge.
 */
export function windowStart(now: Date, days: number): Date {
  return new Date(floorHour(now).getTime() - days * 24 * HOUR_MS);
}

/**
 * Top `limit` products by units, ties by lower product id. `windowTotals` are the rolled-up totals
 * of the candidates; `deltas` what the rolled-up totals miss or hold too much (the live tail, the
 * edge correction) per product. Products at zero or below are not ranked.
 */
export function rankTopProducts(windowTotals: Map<number, number>, deltas: Map<number, number>, limit: number): RankedSale[] {
  const sold = new Map(windowTotals);
  for (const [productId, delta] of deltas) sold.set(productId, (sold.get(productId) ?? 0) + delta);
  return [...sold]
    .filter(([, quantity]) => quantity > 0)
    .sort(([idA, a], [idB, b]) => b - a || idA - idB)
    .slice(0, limit)
    .map(([productId, soldQuantity]) => ({ productId, soldQuantity }));
}
