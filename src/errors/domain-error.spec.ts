import { DomainError, ValidationFailedError } from './domain-error';

describe('DomainError', () => {
  it('captures no stack frames and leaves the stack depth as it was for other errors', () => {
    const before = Error.stackTraceLimit;
    const refusal = new ValidationFailedError('amount must be positive', ['amount']);

    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal.name).toBe('ValidationFailedError');
    expect(refusal.message).toBe('amount must be positive');
    expect(refusal.details).toEqual(['amount']);
    expect(refusal.stack).not.toMatch(/\n\s+at /);
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error('a fault').stack).toMatch(/\n\s+at /);
  });
});
