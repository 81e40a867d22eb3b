/** What a use case hands to OutboxService.enqueue. */
export interface OutboxMessage {
  type: string;
  payload: object;
}

/** An outbox row as inserted: the message with its event id (the platform's Idempotency-Key). */
export interface NewOutboxEvent extends OutboxMessage {
  eventId: string;
}
