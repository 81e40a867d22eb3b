// What the scale scripts share: a sequence of integers for bulk loads and latency percentiles.
import type { Connection } from 'mysql2/promise';

/** A ten-row table of digits, for `sequenceSql` (MySQL has no sequence engine). */
export async function createDigitsTable(db: Connection): Promise<void> {
  await db.query('CREATE TABLE scale_digits (d INT PRIMARY KEY)');
  await db.query('INSERT INTO scale_digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)');
}

/** Every integer below 10^k as a derived table with one column `n`, from cross joins of the digits. */
export const sequenceSql = (k: number): string =>
  `(SELECT ${Array.from({ length: k }, (_, i) => `d${i}.d * ${10 ** i}`).join(' + ')} AS n FROM ${Array.from({ length: k }, (_, i) => `scale_digits d${i}`).join(', ')})`;

export interface Latency {
  p50: number;
  p99: number;
  calls: number;
}

export function percentiles(latencies: number[]): Latency {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return { p50: at(50), p99: at(99), calls: sorted.length };
}
