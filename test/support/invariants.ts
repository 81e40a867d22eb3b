type Query = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

/**
 * Every invariant of the shop's data, checked straight in the database. Returns the violations
 * (empty when all hold), so a failing test prints what exactly went wrong.
 * `initialStock` gives each product's stock before the workload.
 */
export async function findViolations(query: Query, initialStock: Map<number, number>): Promise<string[]> {
  const violations: string[] = [];
  const add = (rows: Array<Record<string, unknown>>, what: string) => rows.forEach((row) => violations.push(`${what}: ${JSON.stringify(row)}`));

  // Stock is conserved: what is left plus what non-expired orders hold is what there was.
  const stock = await query<{ id: number; stock: number; held: number }>(
    `SELECT p.id, p.stock, COALESCE(SUM(CASE WHEN o.status <> 'EXPIRED' THEN i.quantity END), 0) AS held
       FROM products p LEFT JOIN order_items i ON i.product_id = p.id LEFT JOIN orders o ON o.id = i.order_id
      GROUP BY p.id, p.stock`,
  );
  add(
    stock.filter((row) => initialStock.has(row.id) && Number(row.stock) + Number(row.held) !== initialStock.get(row.id)),
    'stock not conserved',
  );

  // Balance = charges − payments = the newest history row's balanceAfter, never negative.
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

  // Orders: PAID exactly when a payment exists; amounts add up.
  add(
    await query(
      `SELECT o.id, o.status, p.id AS payment_id FROM orders o LEFT JOIN payments p ON p.order_id = o.id
        WHERE (o.status = 'PAID') <> (p.id IS NOT NULL) OR o.pay_amount <> o.total_amount - o.discount_amount OR o.pay_amount < 0
           OR o.total_amount <> (SELECT SUM(line_amount) FROM order_items WHERE order_id = o.id)`,
    ),
    'order inconsistent',
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

  // One outbox event per paid order.
  add(
    await query(
      `SELECT o.id, COUNT(e.id) AS events FROM orders o
         LEFT JOIN outbox_events e ON CAST(JSON_UNQUOTE(JSON_EXTRACT(e.payload, '$.orderId')) AS UNSIGNED) = o.id
        WHERE o.status = 'PAID' GROUP BY o.id HAVING events <> 1`,
    ),
    'paid order without exactly one event',
  );
  return violations;
}
