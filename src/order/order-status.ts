export enum OrderStatus {
  PENDING_PAYMENT = 'PENDING_PAYMENT',
  PAID = 'PAID',
  EXPIRED = 'EXPIRED',
}

/** The order state machine: every allowed transition, in one place. PAID and EXPIRED are final. */
const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  [OrderStatus.PENDING_PAYMENT]: [OrderStatus.PAID, OrderStatus.EXPIRED],
  [OrderStatus.PAID]: [],
  [OrderStatus.EXPIRED]: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The statuses an order may move to `to` from: the condition of the UPDATE that moves it. */
export function statusesBefore(to: OrderStatus): OrderStatus[] {
  return Object.values(OrderStatus).filter((from) => canTransition(from, to));
}

/**
 * The status a client sees: an unpaid order past its deadline is EXPIRED even before the
 * expiry job has returned its stock (payment refuses it from that instant too).
 */
export function effectiveStatus(order: { status: OrderStatus; expiresAt: Date }, now: Date): OrderStatus {
  return order.status === OrderStatus.PENDING_PAYMENT && order.expiresAt <= now ? OrderStatus.EXPIRED : order.status;
}
