import { linesFromJson } from './order.repository';

describe('linesFromJson', () => {
  const line = (productId: number, quantity: number) => ({ orderId: 7, productId, unitPrice: 1_000, quantity, lineAmount: 1_000 * quantity });

  it("reads MariaDB's JSON text and MySQL's parsed JSON alike, ascending by product id", () => {
    expect(linesFromJson(7, '[[12, 1000, 2, 2000], [3, 1000, 1, 1000]]')).toEqual([line(3, 1), line(12, 2)]);
    expect(
      linesFromJson(7, [
        [12, 1_000, 2, 2_000],
        [3, 1_000, 1, 1_000],
      ]),
    ).toEqual([line(3, 1), line(12, 2)]);
  });

  it('gives no lines for an aggregate over none', () => {
    expect(linesFromJson(7, null)).toEqual([]);
  });
});
