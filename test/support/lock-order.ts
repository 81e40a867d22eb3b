import { LOCK_ORDER, LockStep } from '../../src/database/lock-order';

/** The step of LOCK_ORDER a statement takes, or undefined when it locks no row another transaction waits for. */
export function lockStepOf(statement: string): LockStep | undefined {
  const sql = statement.replace(/\s+/g, ' ').trim();
  return LOCK_ORDER.find(({ table, lockedBy }) =>
    lockedBy === 'insert'
      ? new RegExp(`^INSERT INTO ${table}\\b`).test(sql)
      : new RegExp(`^(UPDATE ${table}\\b|DELETE FROM ${table}\\b|SELECT .*\\bFROM ${table}\\b.* FOR UPDATE( SKIP LOCKED| NOWAIT)?$)`).test(sql),
  )?.step;
}

/**
 * The lock steps the statements take, in the order each is first taken. A later statement on a
 * table already locked (the order marked PAID after the balance) works on the rows the
 * transaction holds: it waits for nobody.
 */
export function lockStepsOf(statements: string[]): LockStep[] {
  const steps: LockStep[] = [];
  for (const step of statements.map(lockStepOf)) if (step !== undefined && !steps.includes(step)) steps.push(step);
  return steps;
}

/**
 * Asserts that a transaction's statements take exactly `expected` lock steps in that order, and
 * that this order goes forward in the service's one lock order (src/database/lock-order.ts).
 */
export function expectLockOrder(statements: string[], expected: LockStep[]): void {
  expect(lockStepsOf(statements)).toEqual(expected);
  const ranks = expected.map((step) => LOCK_ORDER.findIndex((entry) => entry.step === step));
  expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
}
