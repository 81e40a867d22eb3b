import { DiscountType } from '../../src/coupon/coupon.types';
import { OrderStatus } from '../../src/order/order-status';
import { OrderService } from '../../src/order/order.service';
import { PlaceOrderCommand } from '../../src/order/order.types';
import { expectLockOrder } from '../support/lock-order';
import { ServiceModule, startServiceModule } from '../support/service-module';

describe('OrderService.placeOrder (service, real database)', () => {
  let s: ServiceModule;
  let sut: OrderService;

  beforeAll(async () => {
    s = await startServiceModule({ ORDER_PAYMENT_TIMEOUT_SECONDS: '600' });
    sut = s.get(OrderService);
  });

  afterAll(async () => {
    await s.close();
  });

  const place = (command: PlaceOrderCommand) => s.transaction('placeOrder', (manager) => sut.placeOrder(manager, command));
  const stockOf = async (productId: number) => (await s.query<{ stock: number }>('SELECT stock FROM products WHERE id = ?', [productId]))[0].stock;
  const ordersOf = async (userId: number) => s.query('SELECT id FROM orders WHERE user_id = ?', [userId]);

  it('prices every line, applies the held coupon, and takes the stock of every line', async () => {
    const user = await s.make.user();
    const a = await s.make.product({ price: 10_000, stock: 5 });
    const b = await s.make.product({ price: 3_000, stock: 10 });
    const coupon = await s.make.heldCoupon(user.id, { discountType: DiscountType.PERCENT, discountValue: 10 });

    const order = await place({ userId: user.id, items: [{ productId: b.id, quantity: 3 }, { productId: a.id, quantity: 2 }], couponId: coupon.couponId });

    expect(order).toMatchObject({
      userId: user.id,
      status: OrderStatus.PENDING_PAYMENT,
      totalAmount: 29_000,
      discountAmount: 2_900,
      payAmount: 26_100,
      couponId: coupon.couponId,
      paidAt: null,
      items: [
        { orderId: order.id, productId: a.id, unitPrice: 10_000, quantity: 2, lineAmount: 20_000 },
        { orderId: order.id, productId: b.id, unitPrice: 3_000, quantity: 3, lineAmount: 9_000 },
      ],
    });
    expect(order.expiresAt.getTime() - order.createdAt.getTime()).toBe(600_000);
    expect([await stockOf(a.id), await stockOf(b.id)]).toEqual([3, 7]);
    expect(await s.get(OrderService).getOrder(order.id, user.id)).toMatchObject({ id: order.id, payAmount: 26_100, items: order.items });
    await expect(s.get(OrderService).getOrder(order.id, user.id + 1)).rejects.toMatchObject({ code: 'ORDER_NOT_FOUND' });
  });

  it('refuses an unknown user, an unknown product, short stock or an unusable coupon, changing nothing', async () => {
    const user = await s.make.user();
    const product = await s.make.product({ stock: 2 });
    const notHeld = await s.make.coupon();
    const line = { productId: product.id, quantity: 1 };

    await expect(place({ userId: 987_654, items: [line] })).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    await expect(place({ userId: user.id, items: [line, { productId: 987_654, quantity: 1 }] })).rejects.toMatchObject({ code: 'PRODUCT_NOT_FOUND' });
    await expect(place({ userId: user.id, items: [{ productId: product.id, quantity: 3 }] })).rejects.toMatchObject({ code: 'OUT_OF_STOCK' });
    await expect(place({ userId: user.id, items: [line], couponId: notHeld.id })).rejects.toMatchObject({ code: 'COUPON_NOT_USABLE' });

    expect(await ordersOf(user.id)).toEqual([]);
    expect(await stockOf(product.id)).toBe(2);
  });

  it('gives the last unit to exactly one of several orders placed at once', async () => {
    const product = await s.make.product({ stock: 1 });
    const users = await Promise.all(Array.from({ length: 6 }, () => s.make.user()));

    const results = await Promise.allSettled(users.map((user) => place({ userId: user.id, items: [{ productId: product.id, quantity: 1 }] })));

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refusals = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason.code);
    expect(refusals).toEqual(Array(5).fill('OUT_OF_STOCK'));
    expect(await stockOf(product.id)).toBe(0);
    expect(await s.query('SELECT id FROM order_items WHERE product_id = ?', [product.id])).toHaveLength(1);
  });

  it('checks with plain reads and takes the stock last, in one UPDATE right before the COMMIT', async () => {
    const user = await s.make.user();
    const [a, b] = [await s.make.product(), await s.make.product()];
    const coupon = await s.make.heldCoupon(user.id);

    const statements = await s.statementsOf(() =>
      place({ userId: user.id, items: [{ productId: b.id, quantity: 1 }, { productId: a.id, quantity: 1 }], couponId: coupon.couponId }),
    );

    expect(statements.slice(-4)).toEqual([
      expect.stringMatching(/^INSERT INTO orders /),
      expect.stringMatching(/^INSERT INTO order_items .*VALUES \(\?, \?, \?, \?, \?\), \(\?, \?, \?, \?, \?\)$/),
      expect.stringMatching(/^UPDATE products SET stock = stock - CASE id .* WHERE id IN \(\?, \?\) AND stock >= CASE id /),
      'COMMIT',
    ]);
    // The user row first (the pending cap), then the products, in the stock UPDATE only.
    expectLockOrder(statements, ['user', 'products']);
    expect(statements.filter((sql) => /LOCK IN SHARE MODE|FOR SHARE/i.test(sql))).toEqual([]);
  });
});
