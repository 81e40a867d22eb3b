import { createHash } from 'node:crypto';

/**
 * JSON with every object's keys sorted, so two requests that differ only in key order or
 * whitespace read the same. Arrays keep their order; class instances count as plain objects.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** What "the same request" means for an Idempotency-Key: the operation and its validated input. */
export function requestHash(operation: string, request: object): string {
  return createHash('sha256').update(canonicalJson([operation, request])).digest('hex');
}
