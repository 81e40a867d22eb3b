import { OrderCancellationService } from '../../src/order/order-cancellation.service';
import { OrderExpiryJob } from '../../src/order/order-expiry.job';
import { OrderService } from '../../src/order/order.service';
import { PaymentService } from '../../src/payment/payment.service';
import { expectLockOrder } from '../support/lock-order';
import { ServiceModule, startServiceModule } from '../support/service-module';

describe('OrderCancellationService.cancelOrder and the expiry sweep (service, real database)', () => {
  let s: ServiceModule;
  let sut: OrderCancellationService;

  beforeAll(async () => {
    s = await startServiceModule();
    sut = s.get(OrderCancellationService);
  });

  afterAll(async () => {
    await s.close();
  });

  const cancel = (orderId: number, userId: number) => s.transaction('cancelOrder', (manager) => sut.cancelOrder(manager, { orderId, userId }));

  /** A user's order of 2 units, paid when asked, with a held coupon when asked. */
  async function order(options: { paid?: boolean; coupon?: boolean } = {}) {
    const user = await s.make.user({ balance: 100_000 });
    const product = await s.make.product({ price: 10_000, stock: 10 });
    const coupon = options.coupon ? await s.make.heldCoupon(user.id) : undefined;
    const command = { userId: user.id, items: [{ productId: product.id, quantity: 2 }], couponId: coupon?.couponId };
    const placed = await s.transaction('placeOrder', (manager) => s.get(OrderService).placeOrder(manager, command));
    if (options.paid) await s.transaction('payOrder', (manager) => s.get(PaymentService).payOrder(manager, { orderId: placed.id, userId: user.id }));
    return { user, product, placed };
  }

  it('refunds in the one lock order: the order, its products, the user coupon, the balance', async () => {
    const { user, placed } = await order({ paid: true, coupon: true });

    const statements = await s.statementsOf(() => cancel(placed.id, user.id));

    expectLockOrder(statements, ['order', 'products', 'user coupon', 'balance']);
    // The order's lines come with its lock, in one statement.
    expect(statements[1]).toMatch(/FROM order_items WHERE order_id = orders\.id\) AS lineTuples FROM orders WHERE id = \? FOR UPDATE$/);
    expect(statements).toContain('UPDATE orders SET status = ?, refunded_at = ? WHERE id IN (?) AND status IN (?)');
    expect(statements.map((sql) => sql.match(/^\w+( INTO \w+| \w+)?/)![0])).toEqual([
      'START TRANSACTION',
      'SELECT id',
      'UPDATE orders',
      'UPDATE products',
      'UPDATE user_coupons',
      'UPDATE user_balances',
      'INSERT INTO balance_history',
      'INSERT INTO product_sales_pending',
      'INSERT INTO outbox_events',
      'COMMIT',
    ]);
  });

  it('cancels an unpaid order taking only the order and its products', async () => {
    const { user, placed } = await order();

    const statements = await s.statementsOf(() => cancel(placed.id, user.id));

    expectLockOrder(statements, ['order', 'products']);
    expect(statements).toContain('UPDATE orders SET status = ?, canceled_at = ? WHERE id IN (?) AND status IN (?)');
  });

  it('the expiry sweep takes the orders, then their products', async () => {
    const { placed } = await order();
    await s.query('UPDATE orders SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [placed.id]);

    const statements = await s.statementsOf(() => s.get(OrderExpiryJob).expireDueOrders());

    expectLockOrder(statements, ['order', 'products']);
    expect((await s.query<{ status: string }>('SELECT status FROM orders WHERE id = ?', [placed.id]))[0].status).toBe('EXPIRED');
  });

  it("refuses another user's order as missing and a refunded one as not cancelable, changing nothing", async () => {
    const { user, product, placed } = await order({ paid: true });
    await expect(cancel(placed.id, user.id + 1)).rejects.toMatchObject({ code: 'ORDER_NOT_FOUND' });
    await cancel(placed.id, user.id);
    await expect(cancel(placed.id, user.id)).rejects.toMatchObject({ code: 'ORDER_NOT_CANCELABLE', message: expect.stringContaining('REFUNDED') });
    expect((await s.query<{ stock: number }>('SELECT stock FROM products WHERE id = ?', [product.id]))[0].stock).toBe(10);
  });
});
