import { backoffDelayMs } from './outbox.rules';

describe(backoffDelayMs.name, () => {
  const lowest = () => 0;
  const highest = () => 1;

  it('doubles with every failed attempt, between half and all of base · 2^(attempts − 1)', () => {
    expect([1, 2, 3, 4].map((attempts) => backoffDelayMs(attempts, 1_000, 300_000, highest))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect([1, 2, 3, 4].map((attempts) => backoffDelayMs(attempts, 1_000, 300_000, lowest))).toEqual([500, 1_000, 2_000, 4_000]);
  });

  it('never passes the cap, even after many attempts', () => {
    expect(backoffDelayMs(9, 1_000, 300_000, highest)).toBe(256_000);
    expect(backoffDelayMs(10, 1_000, 300_000, highest)).toBe(300_000);
    expect(backoffDelayMs(100, 1_000, 300_000, highest)).toBe(300_000);
    expect(backoffDelayMs(100, 1_000, 300_000, lowest)).toBe(150_000);
  });

  it('spreads retries at random within the window', () => {
    const delays = Array.from({ length: 200 }, () => backoffDelayMs(3, 1_000, 300_000));
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(2_000);
      expect(delay).toBeLessThanOrEqual(4_000);
    }
    expect(new Set(delays).size).toBeGreaterThan(50);
  });
});
