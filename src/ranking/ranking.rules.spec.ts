import fc from 'fast-check';
import { floorHour, rankTopProducts, windowStart } from './ranking.rules';

describe('ranking rules', () => {
  describe(windowStart.name, () => {
    it('starts at the top of the hour `days × 24 h` before the hour of now', () => {
      const now = new Date('2026-11-25T10:59:59.999Z');
      expect(floorHour(now)).toEqual(new Date('2026-11-25T10:00:00.000Z'));
      expect(windowStart(now, 3)).toEqual(new Date('2026-11-22T10:00:00.000Z'));
      expect(windowStart(new Date('2026-11-25T10:00:00.000Z'), 1)).toEqual(new Date('2026-11-24T10:00:00.000Z'));
    });
  });

  describe(rankTopProducts.name, () => {
    it('orders by units, ties by lower product id, and drops products at zero', () => {
      const totals = new Map([[5, 10], [3, 10], [9, 4], [2, 3]]);
      const deltas = new Map([[9, 7], [2, -3], [11, 1]]);
      expect(rankTopProducts(totals, deltas, 10)).toEqual([
        { productId: 9, soldQuantity: 11 },
        { productId: 3, soldQuantity: 10 },
        { productId: 5, soldQuantity: 10 },
        { productId: 11, soldQuantity: 1 },
      ]);
      expect(rankTopProducts(totals, deltas, 2)).toHaveLength(2);
    });

    // The service reads only the top `limit + deltas` rolled-up totals plus the totals of the
    // products with a delta; the ranking must equal the one over every product.
    it('ranks the candidates exactly as it would rank every product', () => {
      const product = fc.integer({ min: 1, max: 30 });
      fc.assert(
        fc.property(
          fc.dictionary(product.map(String), fc.integer({ min: 1, max: 50 })),
          fc.dictionary(product.map(String), fc.integer({ min: 0, max: 50 })),
          fc.integer({ min: 1, max: 10 }),
          (rolledUp, actual, limit) => {
            const totals = new Map(Object.entries(rolledUp).map(([id, q]) => [Number(id), q]));
            // Products in `actual` really sold that many; the delta is the difference.
            const deltas = new Map(
              Object.entries(actual)
                .map(([id, q]): [number, number] => [Number(id), q - (totals.get(Number(id)) ?? 0)])
                .filter(([, delta]) => delta !== 0),
            );
            const everything = rankTopProducts(totals, deltas, limit);

            const byRank = [...totals].sort(([idA, a], [idB, b]) => b - a || idA - idB);
            const candidates = new Map(byRank.slice(0, limit + deltas.size));
            for (const id of deltas.keys()) if (totals.has(id)) candidates.set(id, totals.get(id)!);
            expect(rankTopProducts(candidates, deltas, limit)).toEqual(everything);
          },
        ),
      );
    });

    // Refunds append negative lines: rolled-up totals and the live tail both go down. Sales and
    // refunds, each rolled up or not, ranked from the candidates the service reads, must match the
    // ranking of the net units counted straight from the events.
    it('stays exact when refunds take units away, rolled up or still pending', () => {
      const sale = fc.record({
        productId: fc.integer({ min: 1, max: 25 }),
        quantity: fc.integer({ min: 1, max: 20 }),
        saleRolledUp: fc.boolean(),
        refund: fc.constantFrom('none', 'pending', 'rolled-up'),
      });
      fc.assert(
        fc.property(fc.array(sale, { maxLength: 60 }), fc.integer({ min: 1, max: 10 }), (sales, limit) => {
          const add = (map: Map<number, number>, id: number, quantity: number) => map.set(id, (map.get(id) ?? 0) + quantity);
          const totals = new Map<number, number>();
          const tail = new Map<number, number>();
          const net = new Map<number, number>();
          for (const { productId, quantity, saleRolledUp, refund } of sales) {
            // A refund's line comes after its sale's: it is rolled up only if the sale is.
            const refundRolledUp = refund === 'rolled-up' && saleRolledUp;
            add(saleRolledUp ? totals : tail, productId, quantity);
            if (refund !== 'none') add(refundRolledUp ? totals : tail, productId, -quantity);
            add(net, productId, refund === 'none' ? quantity : 0);
          }
          const deltas = new Map([...tail].filter(([, delta]) => delta !== 0));
          const byRank = [...totals].filter(([, q]) => q !== 0).sort(([idA, a], [idB, b]) => b - a || idA - idB);
          const candidates = new Map(byRank.slice(0, limit + deltas.size));
          for (const id of deltas.keys()) if (totals.has(id)) candidates.set(id, totals.get(id)!);

          const expected = [...net]
            .filter(([, quantity]) => quantity > 0)
            .sort(([idA, a], [idB, b]) => b - a || idA - idB)
            .slice(0, limit)
            .map(([productId, soldQuantity]) => ({ productId, soldQuantity }));
          expect(rankTopProducts(candidates, deltas, limit)).toEqual(expected);
        }),
      );
    });
  });
});
