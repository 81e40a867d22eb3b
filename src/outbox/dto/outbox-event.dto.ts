import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { CursorQuery, IntQuery } from '../../validation/decorators';
import { OutboxEvent, OutboxStatus } from '../entities/outbox-event.entity';

export class ListOutboxEventsQuery {
  @ApiPropertyOptional({ enum: OutboxStatus, description: 'Only events in this state; all when absent' })
  @IsOptional()
  @IsEnum(OutboxStatus, { message: 'status must be one of PENDING, SENT, DEAD' })
  status?: OutboxStatus;

  @IntQuery(1, 100, 20) limit = 20;

  @CursorQuery() cursor?: string;
}

export class OutboxEventParams {
  @ApiProperty({ format: 'uuid', example: '0b6f6f0e-8d0a-4f43-9a57-2f4c1b8e9d21' })
  @IsUUID('all', { message: 'eventId must be a UUID' })
  eventId: string;
}

export class OutboxEventResponse {
  @ApiProperty({ format: 'uuid', example: '0b6f6f0e-8d0a-4f43-9a57-2f4c1b8e9d21', description: 'Sent as the Idempotency-Key' })
  eventId: string;
  @ApiProperty({ example: 'ORDER_PAID' }) type: string;
  @ApiProperty({ enum: OutboxStatus }) status: OutboxStatus;
  @ApiProperty({ type: 'integer', example: 3, description: 'Delivery attempts started since enqueue or the last retry' }) attempts: number;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { orderId: 10, payAmount: 25_000 }, description: 'Delivered with eventId added' })
  payload: Record<string, unknown>;
  @ApiProperty({ type: 'string', nullable: true, example: 'HTTP 503: unavailable' }) lastError: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2026-11-25T10:00:05.000Z', description: 'Next attempt (PENDING only)' })
  nextAttemptAt: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-11-25T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null }) sentAt: string | null;
}

export class OutboxEventPageResponse {
  @ApiProperty({ type: [OutboxEventResponse] }) items: OutboxEventResponse[];
  @ApiProperty({ type: 'string', nullable: true, example: null }) nextCursor: string | null;
}

export function toOutboxEventResponse(event: OutboxEvent): OutboxEventResponse {
  return {
    eventId: event.eventId,
    type: event.type,
    status: event.status,
    attempts: event.attempts,
    payload: event.payload,
    lastError: event.lastError,
    nextAttemptAt: event.status === OutboxStatus.PENDING ? event.nextAttemptAt.toISOString() : null,
    createdAt: event.createdAt.toISOString(),
    sentAt: event.sentAt?.toISOString() ?? null,
  };
}
