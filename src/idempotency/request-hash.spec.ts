import { canonicalJson, requestHash } from './request-hash';

describe('request hash', () => {
  describe(canonicalJson.name, () => {
    it('sorts object keys at every depth and drops whitespace', () => {
      const sut = canonicalJson({ userId: 1, items: [{ quantity: 2, productId: 7 }], couponId: 3 });
      expect(sut).toBe('{"couponId":3,"items":[{"productId":7,"quantity":2}],"userId":1}');
    });

    it('keeps array order', () => {
      expect(canonicalJson([2, 1])).toBe('[2,1]');
    });

    it('reads a class instance (a validated DTO) like the plain object it holds', () => {
      class ChargeRequest {
        constructor(
          public amount: number,
          public userId: number,
        ) {}
      }
      expect(canonicalJson(new ChargeRequest(1_000, 1))).toBe(canonicalJson({ userId: 1, amount: 1_000 }));
    });

    it('leaves out undefined fields, as JSON does', () => {
      expect(canonicalJson({ a: 1, couponId: undefined })).toBe('{"a":1}');
    });
  });

  describe(requestHash.name, () => {
    const base = requestHash('chargeBalance', { userId: 1, amount: 1_000 });

    it('is 64 hex characters (sha256)', () => {
      expect(base).toMatch(/^[0-9a-f]{64}$/);
    });

    it('is the same for the same request in another key order', () => {
      expect(requestHash('chargeBalance', { amount: 1_000, userId: 1 })).toBe(base);
    });

    it.each([
      ['another amount', 'chargeBalance', { userId: 1, amount: 1_001 }],
      ['another user', 'chargeBalance', { userId: 2, amount: 1_000 }],
      ['a string instead of a number', 'chargeBalance', { userId: 1, amount: '1000' }],
      ['an extra field', 'chargeBalance', { userId: 1, amount: 1_000, couponId: 3 }],
      ['another operation', 'createOrder', { userId: 1, amount: 1_000 }],
    ])('differs for %s', (_case, operation, request) => {
      expect(requestHash(operation, request)).not.toBe(base);
    });

    it('cannot be made equal by moving text between operation and request', () => {
      expect(requestHash('a', { b: 1 })).not.toBe(requestHash('a{', { b: 1 }));
      expect(requestHash('ab', [])).not.toBe(requestHash('a', ['b']));
    });

    it('differs when array order differs', () => {
      expect(requestHash('createOrder', { items: [1, 2] })).not.toBe(requestHash('createOrder', { items: [2, 1] }));
    });
  });
});
