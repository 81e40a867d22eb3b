import { OrderService } from '../../src/order/order.service';
import { PaymentService } from '../../src/payment/payment.service';
import { expectLockOrder } from '../support/lock-order';
import { ServiceModule, startServiceModule } from '../support/service-module';

describe('PaymentService.payOrder (service, real database)', () => {
  let s: ServiceModule;
  let sut: PaymentService;

  beforeAll(async () => {
    s = await startServiceModule();
    sut = s.get(PaymentService);
  });

  afterAll(async () => {
    await s.close();
  });

  const pay = (orderId: number, userId: number) => s.transaction('payOrder', (manager) => sut.payOrder(manager, { orderId, userId }));

  /** A user with a balance and an order of 2 × 10,000 won, with a 5,000 won coupon when asked. */
  async function pendingOrder(options: { balance?: number; coupon?: boolean } = {}) {
    const user = await s.make.user({ balance: options.balance ?? 100_000 });
    const product = await s.make.product({ price: 10_000 });
    const coupon = options.coupon ? await s.make.heldCoupon(user.id) : undefined;
    const command = { userId: user.id, items: [{ productId: product.id, quantity: 2 }], couponId: coupon?.couponId };
    const order = await s.transaction('placeOrder', (manager) => s.get(OrderService).placeOrder(manager, command));
    return { user, product, coupon, order };
  }

  const stateOf = async (orderId: number, userId: number) => ({
    order: (await s.query('SELECT status, paid_at AS paidAt FROM orders WHERE id = ?', [orderId]))[0],
    balance: (await s.query('SELECT balance FROM user_balances WHERE user_id = ?', [userId]))[0].balance,
    history: await s.query('SELECT type, amount, balance_after AS balanceAfter, order_id AS orderId FROM balance_history WHERE user_id = ? ORDER BY id', [userId]),
    coupons: await s.query('SELECT status, order_id AS orderId FROM user_coupons WHERE user_id = ?', [userId]),
    payments: await s.query('SELECT amount FROM payments WHERE order_id = ?', [orderId]),
    events: await s.query("SELECT payload FROM outbox_events WHERE JSON_VALUE(payload, '$.orderId') = ?", [orderId]),
    sales: await s.query('SELECT product_id AS productId, quantity FROM product_sales_pending WHERE paid_at = (SELECT paid_at FROM orders WHERE id = ?)', [orderId]),
  });

  it('uses the coupon, takes the balance, marks the order PAID, and records the payment, the sales and one event', async () => {
    const { user, product, order } = await pendingOrder({ coupon: true });

    const payment = await pay(order.id, user.id);

    expect(payment).toEqual({ id: expect.any(Number), orderId: order.id, userId: user.id, amount: 15_000, status: 'PAID', paidAt: expect.any(Date) });
    const state = await stateOf(order.id, user.id);
    expect(state.order).toEqual({ status: 'PAID', paidAt: payment.paidAt });
    expect(state.balance).toBe(85_000);
    expect(state.history).toEqual([
      { type: 'CHARGE', amount: 100_000, balanceAfter: 100_000, orderId: null },
      { type: 'PAYMENT', amount: 15_000, balanceAfter: 85_000, orderId: order.id },
    ]);
    expect(state.coupons).toEqual([{ status: 'USED', orderId: order.id }]);
    expect(state.payments).toEqual([{ amount: 15_000 }]);
    expect(state.sales).toEqual([{ productId: product.id, quantity: 2 }]);
    expect(state.events).toHaveLength(1);
    expect(state.events[0].payload).toMatchObject({ orderId: order.id, userId: user.id, totalAmount: 20_000, discountAmount: 5_000, payAmount: 15_000 });
  });

  it('refuses an unknown order, another user, a paid or expired order and a short balance, changing nothing', async () => {
    const stranger = await s.make.user();
    const paid = await pendingOrder();
    await pay(paid.order.id, paid.user.id);
    const expired = await pendingOrder();
    await s.query('UPDATE orders SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [expired.order.id]);
    const poor = await pendingOrder({ balance: 14_999, coupon: true });
    const before = await stateOf(poor.order.id, poor.user.id);

    await expect(pay(987_654, stranger.id)).rejects.toMatchObject({ code: 'ORDER_NOT_FOUND' });
    await expect(pay(poor.order.id, stranger.id)).rejects.toMatchObject({ code: 'ORDER_NOT_FOUND' });
    await expect(pay(paid.order.id, paid.user.id)).rejects.toMatchObject({ code: 'ORDER_NOT_PAYABLE', message: expect.stringContaining('PAID') });
    await expect(pay(expired.order.id, expired.user.id)).rejects.toMatchObject({ code: 'ORDER_NOT_PAYABLE', message: expect.stringContaining('EXPIRED') });
    await expect(pay(poor.order.id, poor.user.id)).rejects.toMatchObject({ code: 'INSUFFICIENT_BALANCE' });

    expect(await stateOf(poor.order.id, poor.user.id)).toEqual(before);
    expect(before.order.status).toBe('PENDING_PAYMENT');
    expect(before.coupons).toEqual([{ status: 'AVAILABLE', orderId: null }]);
    expect((await stateOf(expired.order.id, expired.user.id)).payments).toEqual([]);
  });

  it('pays an order paid several times at once exactly once', async () => {
    const { user, order } = await pendingOrder();

    const results = await Promise.allSettled(Array.from({ length: 5 }, () => pay(order.id, user.id)));

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason.code)).toEqual(Array(4).fill('ORDER_NOT_PAYABLE'));
    const state = await stateOf(order.id, user.id);
    expect(state.balance).toBe(80_000);
    expect(state.payments).toHaveLength(1);
    expect(state.events).toHaveLength(1);
  });

  it('locks the order first, then the user coupon, then the balance, in one transaction of these statements', async () => {
    const { user, order } = await pendingOrder({ coupon: true, balance: 50_000 });

    const statements = await s.statementsOf(() => pay(order.id, user.id));

    expect(statements.map((sql) => sql.match(/^\w+( INTO \w+| \w+)?/)![0])).toEqual([
      'START TRANSACTION',
      'SELECT id',
      'UPDATE user_coupons',
      'UPDATE user_balances',
      'INSERT INTO balance_history',
      'UPDATE orders',
      'INSERT INTO payments',
      'INSERT INTO product_sales_pending',
      'INSERT INTO outbox_events',
      'COMMIT',
    ]);
    expectLockOrder(statements, ['order', 'user coupon', 'balance']);
    // PAID is set by a conditional UPDATE from the statuses the state machine allows.
    expect(statements).toContain('UPDATE orders SET status = ?, paid_at = ? WHERE id IN (?) AND status IN (?)');
  });

  it("locks the order's row but not its lines, which it reads in the same statement", async () => {
    const { user, order } = await pendingOrder();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const payment = s.transaction('payOrder', async (manager) => {
      const paid = await sut.payOrder(manager, { orderId: order.id, userId: user.id });
      locked();
      await held;
      return paid;
    });
    await lockTaken;

    try {
      await expect(s.query('SELECT id FROM orders WHERE id = ? FOR UPDATE NOWAIT', [order.id])).rejects.toThrow(/lock/i);
      await expect(s.query('SELECT id FROM order_items WHERE order_id = ? FOR UPDATE NOWAIT', [order.id])).resolves.toHaveLength(1);
      // No gap lock past its lines either: an order placed meanwhile writes its own lines.
      await expect(pendingOrder()).resolves.toMatchObject({ order: { items: [expect.anything()] } });
    } finally {
      release();
    }
    await expect(payment).resolves.toMatchObject({ orderId: order.id });
    expect((await stateOf(order.id, user.id)).events[0].payload).toMatchObject({ items: [{ productId: order.items[0].productId, quantity: 2, unitPrice: 10_000 }] });
  });
});
