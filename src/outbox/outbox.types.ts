/** What a use case hands to OutboxService.enqueue. */
export interface OutboxMessage {
  type: string;
  /** The order the event is about: an order's events reach the platform in the order they were enqueued. */
  orderId: number;
  payload: object;
}

/** An outbox row as inserted: the message with its event id (the platform's Idempotency-Key). */
export interface NewOutboxEvent extends OutboxMessage {
  eventId: string;
}
