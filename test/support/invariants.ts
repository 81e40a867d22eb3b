type Query = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

/**
 * Every invariant of the shop's data, checked straight in the database. Returns the violations
 * (empty when all hold), so a failing test prints what exactly went wrong.
 * `initialStock` gives each product's stock before the workload, `restocked` the units added since.
 */
export async function findViolations(query: Query, initialStock: Map<number, number>, restocked = new Map<number, number>()): Promise<string[]> {
  const violations: string[] = [];
  const add = (rows: Array<Record<string, unknown>>, what: string) => rows.forEach((row) => violations.push(`${what}: ${JSON.stringify(row)}`));

  // Stock is conserved: what is left plus what unpaid and paid orders hold is what there was plus
  // what was restocked (expired, canceled and refunded orders gave theirs back).
  const stock = await query<{ id: number; stock: number; held: number }>(
    `SELECT p.id, p.stock, COALESCE(SUM(CASE WHEN o.status IN ('PENDING_PAYMENT', 'PAID') THEN i.quantity END), 0) AS held
       FROM products p LEFT JOIN order_items i ON i.product_id = p.id LEFT JOIN orders o ON o.id = i.order_id
      GROUP BY p.id, p.stock`,
  );
  add(
    stock.filter((row) => initialStock.has(row.id) && Number(row.stock) + Number(row.held) !== initialStock.get(row.id)! + (restocked.get(row.id) ?? 0)),
    'stock not conserved',
  );

  // Balance = charges − payments + refunds = the newest history row's balanceAfter, never negative.
  add(
    await query(
      `SELECT b.user_id, b.balance,
              (SELECT COALESCE(SUM(CASE WHEN h.type = 'PAYMENT' THEN -h.amount ELSE h.amount END), 0) FROM balance_history h WHERE h.user_id = b.user_id) AS ledger,
              (SELECT h.balance_after FROM balance_history h WHERE h.user_id = b.user_id ORDER BY h.id DESC LIMIT 1) AS newest
         FROM user_balances b
       HAVING balance <> ledger OR (newest IS NOT NULL AND newest <> balance) OR (newest IS NULL AND balance <> 0) OR balance < 0`,
    ),
    'balance does not match its history',
  );
  add(
    await query(
      `SELECT p.user_id, p.paid, h.taken FROM
         (SELECT user_id, SUM(amount) AS paid FROM payments GROUP BY user_id) p
         LEFT JOIN (SELECT user_id, SUM(amount) AS taken FROM balance_history WHERE type = 'PAYMENT' GROUP BY user_id) h ON h.user_id = p.user_id
        WHERE p.paid <> COALESCE(h.taken, 0)`,
    ),
    'payments do not match PAYMENT history',
  );

  // Orders: a payment exactly when PAID or REFUNDED, each status with its time; amounts add up.
  add(
    await query(
      `SELECT o.id, o.status, p.id AS payment_id FROM orders o LEFT JOIN payments p ON p.order_id = o.id
        WHERE (o.status IN ('PAID', 'REFUNDED')) <> (p.id IS NOT NULL) OR (o.status IN ('PAID', 'REFUNDED')) <> (o.paid_at IS NOT NULL)
           OR (o.status = 'CANCELED') <> (o.canceled_at IS NOT NULL) OR (o.status = 'REFUNDED') <> (o.refunded_at IS NOT NULL)
           OR o.pay_amount <> o.total_amount - o.discount_amount OR o.pay_amount < 0
           OR o.total_amount <> (SELECT SUM(line_amount) FROM order_items WHERE order_id = o.id)`,
    ),
    'order inconsistent',
  );
  // One REFUND row of the order's payAmount exactly for a refunded order that cost something.
  add(
    await query(
      `SELECT o.id, o.status, o.pay_amount, COUNT(h.id) AS refunds, SUM(h.amount) AS refunded FROM orders o
         LEFT JOIN balance_history h ON h.order_id = o.id AND h.type = 'REFUND'
        GROUP BY o.id, o.status, o.pay_amount
       HAVING refunds <> (o.status = 'REFUNDED' AND o.pay_amount > 0) OR (refunds = 1 AND refunded <> o.pay_amount)`,
    ),
    'refund not matching its order',
  );

  // Coupons: never more issued than the quantity; the counter matches the rows; USED only by a PAID order.
  add(
    await query(
      `SELECT c.id, c.issued_quantity, c.total_quantity, COUNT(u.id) AS held FROM coupons c LEFT JOIN user_coupons u ON u.coupon_id = c.id
        GROUP BY c.id, c.issued_quantity, c.total_quantity HAVING held <> c.issued_quantity OR held > c.total_quantity`,
    ),
    'coupon over-issued',
  );
  add(
    await query(
      `SELECT u.id, u.order_id, o.status FROM user_coupons u LEFT JOIN orders o ON o.id = u.order_id
        WHERE u.status = 'USED' AND (o.status IS NULL OR o.status <> 'PAID' OR o.coupon_id <> u.coupon_id)`,
    ),
    'coupon used without a paid order',
  );

  // One ORDER_PAID event per order ever paid, one ORDER_REFUNDED per refunded order, nothing else.
  add(
    await query(
      `SELECT o.id, o.status, SUM(e.type = 'ORDER_PAID') AS paid, SUM(e.type = 'ORDER_REFUNDED') AS refunded FROM orders o
         LEFT JOIN outbox_events e ON e.order_id = o.id
        GROUP BY o.id, o.status
       HAVING COALESCE(paid, 0) <> (o.status IN ('PAID', 'REFUNDED')) OR COALESCE(refunded, 0) <> (o.status = 'REFUNDED')`,
    ),
    'order without exactly its events',
  );

  // Top products count exactly the units of PAID orders: the rolled-up buckets plus the lines not rolled up yet.
  add(
    await query(
      `SELECT product_id, SUM(counted) AS counted, SUM(paid) AS paid FROM (
         SELECT product_id, quantity AS counted, 0 AS paid FROM product_sales_hourly
         UNION ALL SELECT product_id, quantity, 0 FROM product_sales_pending
         UNION ALL SELECT i.product_id, 0, i.quantity FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.status = 'PAID'
       ) u GROUP BY product_id HAVING counted <> paid`,
    ),
    'top products not counting the units of paid orders',
  );
  return violations;
}

/** Events the platform has once the outbox is drained: one per order ever paid and one per refunded order. */
export async function expectedDeliveries(query: Query): Promise<number> {
  const [row] = await query<{ n: number }>("SELECT SUM(status IN ('PAID', 'REFUNDED')) + SUM(status = 'REFUNDED') AS n FROM orders");
  return Number(row.n ?? 0);
}

/**
 * What the platform received, checked against the contract: each of an order's events always under
 * one event id, and an order's ORDER_REFUNDED first arriving after its ORDER_PAID.
 */
export function deliveryViolations(events: Array<{ idempotencyKey: string; body: Record<string, unknown> }>): string[] {
  const violations: string[] = [];
  const keys = new Map<string, Set<string>>();
  const firstArrival = new Map<string, number>();
  events.forEach((event, index) => {
    const name = `${event.body.orderId}:${event.body.type}`;
    keys.set(name, (keys.get(name) ?? new Set()).add(event.idempotencyKey));
    if (!firstArrival.has(name)) firstArrival.set(name, index);
  });
  for (const [name, ids] of keys) if (ids.size !== 1) violations.push(`${name} delivered as ${ids.size} different events`);
  for (const [name, index] of firstArrival) {
    const [orderId, type] = name.split(':');
    if (type !== 'ORDER_REFUNDED') continue;
    const paid = firstArrival.get(`${orderId}:ORDER_PAID`);
    if (paid === undefined || paid > index) violations.push(`order ${orderId}: ORDER_REFUNDED arrived before its ORDER_PAID`);
  }
  return violations;
}
