import { ValidationFailedError } from '../errors/domain-error';
import { parseIdempotencyKey } from './idempotency-key.decorator';

describe(parseIdempotencyKey.name, () => {
  it('is undefined when the header is absent', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
  });

  it.each([
    ['one character', 'a'],
    ['255 characters', 'k'.repeat(255)],
    ['a UUID', '5f2b6d3e-8c1a-4e8b-9a77-1f0c2d3e4b5a'],
    ['every printable ASCII character', Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i)).join('')],
  ])('accepts %s', (_case, key) => {
    expect(parseIdempotencyKey([key])).toBe(key);
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['non-ASCII', 'clé'],
    ['a tab', 'a\tb'],
    ['a control character', 'a\x01b'],
    ['DEL', 'a\x7fb'],
  ])('refuses %s, naming the header', (_case, key) => {
    expect(() => parseIdempotencyKey([key])).toThrow(ValidationFailedError);
    expect(() => parseIdempotencyKey([key])).toThrow(/Idempotency-Key/);
  });

  it('refuses the header sent twice', () => {
    expect(() => parseIdempotencyKey(['a', 'b'])).toThrow(/Idempotency-Key must be sent at most once/);
  });
});
