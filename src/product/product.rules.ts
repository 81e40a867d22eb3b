/** The most units of a product on sale: a product is created with at most this, a restock may not pass it. */
export const MAX_STOCK = 1_000_000;
