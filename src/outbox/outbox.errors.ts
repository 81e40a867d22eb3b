import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import type { OutboxStatus } from './entities/outbox-event.entity';

export class OutboxEventNotFoundError extends DomainError {
  readonly code = 'OUTBOX_EVENT_NOT_FOUND';
  readonly status = HttpStatus.NOT_FOUND;

  constructor(eventId: string) {
    super(`outbox event ${eventId} does not exist`);
  }
}

export class OutboxEventNotDeadError extends DomainError {
  readonly code = 'OUTBOX_EVENT_NOT_DEAD';
  readonly status = HttpStatus.CONFLICT;

  constructor(eventId: string, current: OutboxStatus) {
    super(`outbox event ${eventId} is ${current}; only a DEAD event can be retried`);
  }
}
