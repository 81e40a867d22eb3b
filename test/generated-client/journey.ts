// A shopper's journey written against the client generated from the served document
// (test/generated-client.e2e-spec.ts generates ./openapi.d.ts next to it, then type-checks this
// file under `strict`). It is only compiled, never run: it proves the document types a client.
import createClient from 'openapi-fetch';
import type { paths } from './openapi';

type ErrorCode = NonNullable<Awaited<ReturnType<typeof placeOrder>>['error']>['code'];

const client = createClient<paths>({ baseUrl: 'http://127.0.0.1:3000' });
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

async function placeOrder(token: string, userId: number, productId: number, couponId: number | null) {
  return client.POST('/api/v1/orders', { headers: auth(token), body: { userId, items: [{ productId, quantity: 1 }], couponId } });
}

export async function journey(token: string, userId: number): Promise<string> {
  const products = await client.GET('/api/v1/products', { params: { query: { size: 5 } } });
  if (!products.data) return products.error.code;
  const first = products.data.items[0];
  const next: string | null = products.data.nextCursor;

  const charged = await client.POST('/api/v1/users/{userId}/balance/charge', { params: { path: { userId } }, headers: auth(token), body: { amount: 50_000 } });
  const balance: number | undefined = charged.data?.balance;

  const coupon = await client.POST('/api/v1/coupons/{couponId}/issue', { params: { path: { couponId: 1 } }, headers: auth(token), body: { userId } });
  const couponId = coupon.data?.couponId ?? null;

  const order = await placeOrder(token, userId, first.id, couponId);
  if (order.error) {
    // The code is an enum: a client can switch on it, and a code no operation names does not compile.
    switch (order.error.code) {
      case 'OUT_OF_STOCK':
        return 'sold out';
      case 'COUPON_NOT_USABLE':
        return placeOrder(token, userId, first.id, null).then((retry) => retry.data?.status ?? 'no order');
      default:
        // @ts-expect-error not a code this operation answers with
        if (order.error.code === 'NOT_A_CODE') return 'impossible';
        return order.error.code satisfies ErrorCode;
    }
  }
  const payAmount: number = order.data.payAmount;

  const paid = await client.POST('/api/v1/payments', { headers: auth(token), body: { orderId: order.data.orderId, userId } });
  if (paid.error?.code === 'INSUFFICIENT_BALANCE') return `needs ${payAmount}, has ${balance}`;
  const requestId: string | null = paid.response.headers.get('X-Request-Id');

  const mine = await client.GET('/api/v1/users/{userId}/orders', { params: { path: { userId }, query: { status: 'PAID', limit: 20 } }, headers: auth(token) });
  const canceled = await client.POST('/api/v1/orders/{orderId}/cancel', { params: { path: { orderId: order.data.orderId } }, headers: auth(token), body: { userId } });
  const status: 'PENDING_PAYMENT' | 'PAID' | 'EXPIRED' | 'CANCELED' | 'REFUNDED' | undefined = canceled.data?.status;

  const top = await client.GET('/api/v1/products/top', { params: { query: { days: 3, limit: 5 } } });
  return [next, requestId, mine.data?.items.length, status, top.data?.items[0]?.rank].join(' ');
}
