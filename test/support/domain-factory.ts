import type { INestApplicationContext } from '@nestjs/common';
import { BalanceService } from '../../src/balance/balance.service';
import { CouponService } from '../../src/coupon/coupon.service';
import { DiscountType, HeldCoupon, NewCoupon } from '../../src/coupon/coupon.types';
import { TransactionRunner } from '../../src/database/transaction-runner';
import { ProductService } from '../../src/product/product.service';
import { NewProduct } from '../../src/product/product.types';
import { UserService } from '../../src/user/user.service';

let sequence = 0;
const nextName = (prefix: string): string => `${prefix}-${++sequence}`;

/**
 * Test data through the services (never raw SQL), with overrides: `make.product({ stock: 0 })`.
 * Works on anything that resolves providers: a testing module or a whole app.
 */
export class DomainFactory {
  constructor(private readonly app: Pick<INestApplicationContext, 'get'>) {}

  /** A user, with an opening balance when `balance` is given (charged, so it has its history row). */
  async user(overrides: { name?: string; balance?: number } = {}): Promise<{ id: number; name: string }> {
    const user = await this.app.get(UserService).createUser(overrides.name ?? nextName('user'));
    const amount = overrides.balance;
    if (amount) await this.app.get(TransactionRunner).run('chargeBalance', (manager) => this.app.get(BalanceService).chargeBalance(manager, { userId: user.id, amount }));
    return { id: user.id, name: user.name };
  }

  product(overrides: Partial<NewProduct> = {}): Promise<{ id: number; name: string; price: number; stock: number }> {
    return this.app.get(ProductService).createProduct({ name: nextName('product'), price: 10_000, stock: 100, ...overrides });
  }

  coupon(overrides: Partial<NewCoupon> = {}): Promise<{ id: number; totalQuantity: number }> {
    const coupon: NewCoupon = { name: nextName('coupon'), discountType: DiscountType.FIXED, discountValue: 5_000, totalQuantity: 100, validDays: 30, ...overrides };
    return this.app.get(CouponService).createCoupon(coupon);
  }

  /** A coupon issued to the user (created first when no coupon id is given). */
  async heldCoupon(userId: number, coupon: number | Partial<NewCoupon> = {}): Promise<HeldCoupon> {
    const couponId = typeof coupon === 'number' ? coupon : (await this.coupon(coupon)).id;
    return this.app.get(CouponService).issueCoupon(couponId, userId);
  }
}
