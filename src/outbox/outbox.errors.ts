import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { OutboxStatus } from './entities/outbox-event.entity';

const EXAMPLE_EVENT_ID = '0b6f6f0e-8d0a-4f43-9a57-2f4c1b8e9d21';

export class OutboxEventNotFoundError extends DomainError {
  static example = () => new OutboxEventNotFoundError(EXAMPLE_EVENT_ID);
  readonly code = 'OUTBOX_EVENT_NOT_FOUND';
  readonly status = HttpStatus.NOT_FOUND;

  constructor(eventId: string) {
    super(`outbox event ${eventId} does not exist`);
  }
}

export class OutboxEventNotDeadError extends DomainError {
  static example = () => new OutboxEventNotDeadError(EXAMPLE_EVENT_ID, OutboxStatus.SENT);
  readonly code = 'OUTBOX_EVENT_NOT_DEAD';
  readonly status = HttpStatus.CONFLICT;

  constructor(eventId: string, current: OutboxStatus) {
    super(`outbox event ${eventId} is ${current}; only a DEAD event can be retried`);
  }
}
