/** A page of rows in id order, and the cursor for the next page (null on the last one). */
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Rows were fetched with `limit + 1` in id order (newest first or oldest first): the extra row
 * only says that another page exists. The cursor is the last id shown; the next page continues
 * after it in the same order.
 */
export function toCursorPage<T extends { id: number }>(rows: T[], limit: number): CursorPage<T> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? String(items[items.length - 1].id) : null };
}
