/**
 * The one order in which any transaction of the service takes row locks (docs/architecture.md,
 * "Lock order"). A use case may skip steps but never goes back to an earlier one, so two use cases
 * can never wait for each other in a cycle; the deadlock retry in TransactionRunner is the safety
 * net, not the mechanism. The service specs assert each use case against it (`expectLockOrder`).
 *
 * A step names the table whose existing rows are locked and how: `SELECT … FOR UPDATE`, `UPDATE`
 * or `DELETE` of rows others can see. Inserting a new row (an order, its lines, a history row, an
 * outbox event) locks nothing anyone else waits for, with one exception listed as its own step:
 * the Idempotency-Key row, whose INSERT makes a duplicate wait.
 */
export const LOCK_ORDER = [
  { step: 'idempotency key', table: 'idempotency_keys', lockedBy: 'insert', why: 'first: a duplicate waits here holding nothing else' },
  { step: 'user', table: 'users', lockedBy: 'lock', why: "placing an order: serialises one user's orders for the pending cap" },
  { step: 'order', table: 'orders', lockedBy: 'lock', why: 'paying, cancelling, expiring: the order decides what happens next' },
  { step: 'products', table: 'products', lockedBy: 'lock', why: 'stock taken or returned in one UPDATE, rows in ascending id order' },
  { step: 'coupon', table: 'coupons', lockedBy: 'lock', why: "issuing: the campaign's counter, one batch at a time" },
  { step: 'user coupon', table: 'user_coupons', lockedBy: 'lock', why: 'used by a payment, given back by a refund' },
  { step: 'balance', table: 'user_balances', lockedBy: 'lock', why: 'last: charged, paid from or refunded to' },
] as const;

export type LockStep = (typeof LOCK_ORDER)[number]['step'];
