import { authHeader } from './auth';
import type TestAgent from 'supertest/lib/agent';

export interface Shop {
  userIds: number[];
  productIds: number[];
  couponId: number;
}

export interface WorkloadCounts {
  requests: number;
  serverErrors: number;
  /** Requests that got no HTTP answer (the instance was down). */
  networkErrors: number;
  statuses: Record<number, number>;
}

export const emptyCounts = (): WorkloadCounts => ({ requests: 0, serverErrors: 0, networkErrors: 0, statuses: {} });

/** A deterministic pseudo-random sequence, so a failing run can be replayed. */
export function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/**
 * One shopper's session against any of the given apps: grab the coupon, charge, order a random
 * cart (sometimes with the coupon), pay most orders, cancel some before, during or after the
 * payment (a refund), retry some requests with the same Idempotency-Key. Returns the statuses
 * seen. Requests may fail with 4xx; never with 5xx.
 */
export async function shop(http: TestAgent[], shopData: Shop, userId: number, seed: number, counts: WorkloadCounts): Promise<void> {
  const random = sequence(seed);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const record = (status: number) => {
    counts.requests++;
    counts.statuses[status] = (counts.statuses[status] ?? 0) + 1;
    if (status >= 500) counts.serverErrors++;
  };
  const send = async (call: (agent: TestAgent) => Promise<{ status: number; body: Record<string, unknown> }>) => {
    try {
      const response = await call(pick(http));
      record(response.status);
      return response;
    } catch {
      counts.requests++;
      counts.networkErrors++;
      return { status: 0, body: {} };
    }
  };

  const auth = await authHeader(userId);
  await send((a) => a.post(`/api/v1/coupons/${shopData.couponId}/issue`).set(auth).send({ userId }));
  const chargeKey = `charge-${userId}-${seed}`;
  for (let i = 0; i < 2; i++) {
    await send((a) => a.post(`/api/v1/users/${userId}/balance/charge`).set(auth).set('Idempotency-Key', chargeKey).send({ amount: 20_000 }));
  }
  for (let round = 0; round < 3; round++) {
    const products = [...shopData.productIds].sort(() => random() - 0.5).slice(0, 1 + Math.floor(random() * 2));
    const body = {
      userId,
      items: products.map((productId) => ({ productId, quantity: 1 + Math.floor(random() * 3) })),
      ...(random() < 0.3 ? { couponId: shopData.couponId } : {}),
    };
    const order = await send((a) => a.post('/api/v1/orders').set(auth).set('Idempotency-Key', `order-${userId}-${seed}-${round}`).send(body));
    if (order.status !== 201) continue;
    const orderId = order.body.orderId;
    const cancelKey = `cancel-${userId}-${seed}-${round}`;
    const cancel = () => send((a) => a.post(`/api/v1/orders/${orderId}/cancel`).set(auth).set('Idempotency-Key', cancelKey).send({ userId }));
    const payKey = `pay-${userId}-${seed}-${round}`;
    const pay = () => send((a) => a.post('/api/v1/payments').set(auth).set('Idempotency-Key', payKey).send({ orderId, userId }));
    const choice = random();
    if (choice < 0.2) continue; // left unpaid
    if (choice < 0.3) {
      await cancel(); // changed their mind before paying
    } else if (choice < 0.4) {
      await Promise.all([pay(), cancel()]); // a cancel racing the payment: canceled, or paid then refunded
    } else {
      await Promise.all([pay(), pay()]);
      if (choice < 0.5) await Promise.all([cancel(), cancel()]); // a refund, sent twice
    }
  }
}
