// A thin client for the order service: JSON in and out, the user's token, an Idempotency-Key on
// the writes that honour it, and errors thrown with the contract's code.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code ?? 'NETWORK_ERROR';
    this.requestId = body?.requestId;
  }
}

export function createApi(baseUrl) {
  let token;

  async function call(method, path, { body, query, idempotent = false } = {}) {
    const url = new URL(`/api/v1${path}`, baseUrl);
    for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
    const headers = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    // A retry of the same click (e.g. after a network error) is answered from the first attempt.
    if (idempotent) headers['Idempotency-Key'] = crypto.randomUUID();
    let response;
    try {
      response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, { code: 'NETWORK_ERROR', message: `the API at ${baseUrl} cannot be reached (is it running, and does CORS_ORIGINS list this page's origin?)` });
    }
    const json = await response.json().catch(() => undefined);
    if (!response.ok) throw new ApiError(response.status, json);
    return json;
  }

  return {
    signIn: (accessToken) => (token = accessToken),
    listProducts: (cursor, size = 8) => call('GET', '/products', { query: { cursor, size } }),
    topProducts: () => call('GET', '/products/top', { query: { days: 3, limit: 5 } }),
    getBalance: (userId) => call('GET', `/users/${userId}/balance`),
    charge: (userId, amount) => call('POST', `/users/${userId}/balance/charge`, { body: { amount }, idempotent: true }),
    getCoupon: (couponId) => call('GET', `/coupons/${couponId}`),
    issueCoupon: (couponId, userId) => call('POST', `/coupons/${couponId}/issue`, { body: { userId } }),
    myCoupons: (userId) => call('GET', `/users/${userId}/coupons`),
    placeOrder: (userId, items, couponId) => call('POST', '/orders', { body: { userId, items, couponId }, idempotent: true }),
    pay: (orderId, userId) => call('POST', '/payments', { body: { orderId, userId }, idempotent: true }),
    myOrders: (userId) => call('GET', `/users/${userId}/orders`, { query: { limit: 10 } }),
    cancel: (orderId, userId) => call('POST', `/orders/${orderId}/cancel`, { body: { userId }, idempotent: true }),
  };
}
