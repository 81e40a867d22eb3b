/**
 * Per-instance cache of computed results. An entry is served while younger than the TTL, its age
 * counted from when its computation started (before the database read it is based on), so no
 * instance serves data older than the TTL. Concurrent misses of one key share a single
 * computation (single flight): an expiry under load costs the database one query per key and
 * instance. A failed computation is not kept. TTL 0 turns the cache off.
 */
export class TopProductsCache<T> {
  private readonly entries = new Map<string, { startedAt: number; value: Promise<T> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  get(key: string, compute: () => Promise<T>): Promise<T> {
    if (this.ttlMs === 0) return compute();
    const now = this.clock();
    const entry = this.entries.get(key);
    if (entry && now - entry.startedAt < this.ttlMs) return entry.value;

    const value = compute();
    this.entries.set(key, { startedAt: now, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}
