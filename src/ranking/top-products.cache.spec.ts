import { TopProductsCache } from './top-products.cache';

describe(TopProductsCache.name, () => {
  let now: number;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it('serves a result while younger than the TTL, then computes again', async () => {
    const sut = new TopProductsCache<number>(60_000, clock);
    let calls = 0;
    const compute = async () => ++calls;

    expect(await sut.get('3:5', compute)).toBe(1);
    now += 59_999;
    expect(await sut.get('3:5', compute)).toBe(1);
    now += 1;
    expect(await sut.get('3:5', compute)).toBe(2);
    expect(await sut.get('30:5', compute)).toBe(3);
  });

  it('shares one computation among concurrent misses', async () => {
    const sut = new TopProductsCache<string>(1_000, clock);
    let calls = 0;
    let finish!: (value: string) => void;
    const compute = () => {
      calls++;
      return new Promise<string>((resolve) => (finish = resolve));
    };

    const results = Array.from({ length: 50 }, () => sut.get('3:5', compute));
    finish('ranking');

    expect(await Promise.all(results)).toEqual(Array(50).fill('ranking'));
    expect(calls).toBe(1);
  });

  it('does not keep a failure', async () => {
    const sut = new TopProductsCache<number>(60_000, clock);
    await expect(sut.get('3:5', () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect(await sut.get('3:5', async () => 7)).toBe(7);
  });

  it('with TTL 0 computes every time', async () => {
    const sut = new TopProductsCache<number>(0, clock);
    let calls = 0;
    await Promise.all([sut.get('3:5', async () => ++calls), sut.get('3:5', async () => ++calls)]);
    expect(calls).toBe(2);
  });
});
