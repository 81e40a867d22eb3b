import { OrderExpiryJob } from '../src/order/order-expiry.job';
import { deliveryViolations, expectedDeliveries, findViolations } from './support/invariants';
import { makeCoupon, makeProduct, makeUser } from './support/factories';
import { useMockDataPlatform, useTestApp } from './support/test-app';
import { waitFor } from './support/wait-for';
import { emptyCounts, shop } from './support/workload';

describe('invariants after a mixed concurrent run (e2e)', () => {
  const platform = useMockDataPlatform();
  const t = useTestApp(() => ({ DATA_PLATFORM_URL: platform.url, OUTBOX_POLL_INTERVAL_MS: '50', OUTBOX_BACKOFF_BASE_MS: '20', OUTBOX_BACKOFF_MAX_MS: '200' }));

  it('stock, balances, coupons, orders, refunds, top products and deliveries all add up', async () => {
    const products = await Promise.all([20, 30, 200].map((stock, i) => makeProduct(t.http, { stock, price: 1_000 * (i + 1) })));
    const users = await Promise.all(Array.from({ length: 30 }, () => makeUser(t.http, { balance: 10_000 })));
    const coupon = await makeCoupon(t.http, { totalQuantity: 10, discountType: 'PERCENT', discountValue: 20 });
    const initialStock = new Map(products.map((p) => [p.id, p.stock]));
    const counts = emptyCounts();

    await Promise.all(
      users.map((user, i) => shop([t.http], { userIds: users.map((u) => u.id), productIds: products.map((p) => p.id), couponId: coupon.id }, user.id, i + 1, counts)),
    );
    // Some orders were left unpaid: let them run out of time and give their stock back.
    await t.query("UPDATE orders SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE status = 'PENDING_PAYMENT' AND MOD(id, 2) = 0");
    await t.app.get(OrderExpiryJob).expireDueOrders();

    expect(counts.serverErrors).toBe(0);
    expect(counts.statuses[201]).toBeGreaterThan(30);
    const statuses = await t.query<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM orders GROUP BY status');
    expect(Object.fromEntries(statuses.map((row) => [row.status, Number(row.n)]))).toEqual(
      expect.objectContaining({ PAID: expect.any(Number), CANCELED: expect.any(Number), REFUNDED: expect.any(Number), EXPIRED: expect.any(Number) }),
    );
    const expected = await expectedDeliveries(t.query);
    await waitFor('every paid and refunded order at the platform', () => new Set(platform.events.map((e) => e.idempotencyKey)).size === expected, 15_000);
    expect(deliveryViolations(platform.events)).toEqual([]);
    expect(await findViolations(t.query, initialStock)).toEqual([]);
  });
});
