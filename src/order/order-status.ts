export enum OrderStatus {
  PENDING_PAYMENT = 'PENDING_PAYMENT',
  PAID = 'PAID',
  EXPIRED = 'EXPIRED',
  CANCELED = 'CANCELED',
  REFUNDED = 'REFUNDED',
}

/**
 * The order state machine: every allowed transition, in one place. Only PAID moves on (to
 * REFUNDED); EXPIRED, CANCELED and REFUNDED are final.
 */
const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  [OrderStatus.PENDING_PAYMENT]: [OrderStatus.PAID, OrderStatus.EXPIRED, OrderStatus.CANCELED],
  [OrderStatus.PAID]: [OrderStatus.REFUNDED],
  [OrderStatus.EXPIRED]: [],
  [OrderStatus.CANCELED]: [],
  [OrderStatus.REFUNDED]: [],
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
 * expiry job has returned its stock (payment and cancel refuse it from that instant too).
 * OrderRepository.findPageByUser filters on the same rule in SQL.
 */
export function effectiveStatus(order: { status: OrderStatus; expiresAt: Date }, now: Date): OrderStatus {
  return order.status === OrderStatus.PENDING_PAYMENT && order.expiresAt <= now ? OrderStatus.EXPIRED : order.status;
}

const DAY_MS = 86_400_000;

/**
 * What canceling the order at `now` makes of it: an unpaid one CANCELED, one paid less than
 * `refundWindowDays` ago REFUNDED; undefined when it cannot be canceled (expired, already
 * canceled or refunded, or paid too long ago).
 */
export function cancelTransition(
  order: { status: OrderStatus; expiresAt: Date; paidAt: Date | null },
  now: Date,
  refundWindowDays: number,
): OrderStatus.CANCELED | OrderStatus.REFUNDED | undefined {
  const status = effectiveStatus(order, now);
  if (status === OrderStatus.PENDING_PAYMENT) return OrderStatus.CANCELED;
  const refundable = order.paidAt !== null && now.getTime() < order.paidAt.getTime() + refundWindowDays * DAY_MS;
  if (status === OrderStatus.PAID && refundable) return OrderStatus.REFUNDED;
  return undefined;
}
