/** A paid order line, as the ranking counts it (a refund counts its lines negative). */
export interface SoldLine {
  productId: number;
  quantity: number;
}

export interface TopProduct {
  rank: number;
  productId: number;
  name: string;
  price: number;
  soldQuantity: number;
}

export interface RankedProduct {
  name: string;
  price: number;
}

/** Units per product, with the version of the aggregates they were read from. */
export interface AggregateRead {
  version: number;
  quantities: Map<number, number>;
}

export interface WindowTotalsRead extends AggregateRead {
  products: Map<number, RankedProduct>;
}
