import type TestAgent from 'supertest/lib/agent';
import { authHeader } from './auth';
import { ADMIN_KEY } from './test-app';

let sequence = 0;
const nextName = (prefix: string): string => `${prefix}-${++sequence}`;

export interface UserFixture {
  id: number;
  name: string;
}

export interface ProductFixture {
  id: number;
  name: string;
  price: number;
  stock: number;
}

/** Creates a user through the admin API, optionally charging an opening balance. */
export async function makeUser(http: TestAgent, overrides: { name?: string; balance?: number } = {}): Promise<UserFixture> {
  const response = await http.post('/api/v1/users').set('X-Admin-Key', ADMIN_KEY).send({ name: overrides.name ?? nextName('user') });
  if (response.status !== 201) throw new Error(`makeUser failed: ${response.status} ${JSON.stringify(response.body)}`);
  if (overrides.balance) {
    const charge = await http.post(`/api/v1/users/${response.body.id}/balance/charge`).set(await authHeader(response.body.id)).send({ amount: overrides.balance });
    if (charge.status !== 200) throw new Error(`charge failed: ${charge.status} ${JSON.stringify(charge.body)}`);
  }
  return response.body as UserFixture;
}

export async function makeProduct(http: TestAgent, overrides: Partial<Omit<ProductFixture, 'id'>> = {}): Promise<ProductFixture> {
  const body = { name: nextName('product'), price: 10_000, stock: 100, ...overrides };
  const response = await http.post('/api/v1/products').set('X-Admin-Key', ADMIN_KEY).send(body);
  if (response.status !== 201) throw new Error(`makeProduct failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as ProductFixture;
}

export interface CouponFixture {
  id: number;
  name: string;
  discountType: 'FIXED' | 'PERCENT';
  discountValue: number;
  totalQuantity: number;
  issuedQuantity: number;
  validDays: number;
}

export async function makeCoupon(http: TestAgent, overrides: Partial<Omit<CouponFixture, 'id' | 'issuedQuantity'>> = {}): Promise<CouponFixture> {
  const body = { name: nextName('coupon'), discountType: 'FIXED', discountValue: 5_000, totalQuantity: 100, validDays: 30, ...overrides };
  const response = await http.post('/api/v1/coupons').set('X-Admin-Key', ADMIN_KEY).send(body);
  if (response.status !== 201) throw new Error(`makeCoupon failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as CouponFixture;
}
