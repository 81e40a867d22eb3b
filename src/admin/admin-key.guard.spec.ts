import { ExecutionContext } from '@nestjs/common';
import * as crypto from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { UnauthorizedError } from '../errors/domain-error';
import { AdminKeyGuard } from './admin-key.guard';

jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});

const KEY = 'the-admin-key-0123456789';

function contextWith(header: string | undefined): ExecutionContext {
  const request = { header: (name: string) => (name === 'x-admin-key' ? header : undefined) };
  return { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
}

describe(AdminKeyGuard.name, () => {
  const sut = new AdminKeyGuard({ admin: { apiKey: KEY } } as AppConfig);
  const timingSafeEqual = crypto.timingSafeEqual as jest.MockedFunction<typeof crypto.timingSafeEqual>;

  beforeEach(() => timingSafeEqual.mockClear());

  it('lets the configured key through', () => {
    expect(sut.canActivate(contextWith(KEY))).toBe(true);
  });

  it.each([
    ['a shorter key', 'the-admin'],
    ['a longer key', `${KEY}x`],
    ['a key of the same length', KEY.replace(/.$/, '!')],
    ['an empty key', ''],
  ])('refuses %s after a constant-time comparison of equal-length digests', (_case, given) => {
    expect(() => sut.canActivate(contextWith(given))).toThrow(UnauthorizedError);
    // A length check before the comparison would answer sooner for a key of another length.
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
    const [a, b] = timingSafeEqual.mock.calls[0] as [Buffer, Buffer];
    expect([a.length, b.length]).toEqual([32, 32]);
  });

  it('refuses a missing header', () => {
    expect(() => sut.canActivate(contextWith(undefined))).toThrow(UnauthorizedError);
  });

  it('refuses everything when no key is configured', () => {
    expect(() => new AdminKeyGuard({ admin: { apiKey: undefined } } as AppConfig).canActivate(contextWith(KEY))).toThrow(UnauthorizedError);
  });
});
