/**
 * Every transaction of the service by name: `TransactionRunner.run` takes only these, so the
 * compiler keeps this list complete, and the retry counters of all of them exist at 0 from the
 * first scrape (dashboards and alerts see them before the first retry).
 */
export const TRANSACTION_NAMES = [
  'cancelOrder',
  'chargeBalance',
  'claimOutboxEvents',
  'createProduct',
  'createUser',
  'expireOrders',
  'issueCoupon',
  'payOrder',
  'placeOrder',
  'restockProduct',
  'retryOutboxEvent',
  'rollUpSales',
] as const;

export type TransactionName = (typeof TRANSACTION_NAMES)[number];
