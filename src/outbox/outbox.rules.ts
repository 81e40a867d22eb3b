/**
 * Delay before the next attempt once `attempts` attempts have failed: base · 2^(attempts − 1),
 * capped at `maxMs`, with equal jitter (half fixed, half random) so the retries of events that
 * failed together spread out, yet none comes back almost at once.
 */
export function backoffDelayMs(attempts: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** (attempts - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}
