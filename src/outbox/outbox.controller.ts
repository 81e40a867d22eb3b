import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminOnly } from '../admin/admin-key.guard';
import { ApiErrors } from '../openapi/api-errors';
import { OutboxEventNotDeadError, OutboxEventNotFoundError } from './outbox.errors';
import {
  ListOutboxEventsQuery,
  OutboxEventPageResponse,
  OutboxEventParams,
  OutboxEventResponse,
  toOutboxEventResponse,
} from './dto/outbox-event.dto';
import { OutboxService } from './outbox.service';

@Controller('admin/outbox-events')
@AdminOnly()
export class OutboxController {
  constructor(private readonly outbox: OutboxService) {}

  @Get()
  @ApiOperation({ operationId: 'listOutboxEvents', summary: 'Events for the data platform, newest first (admin)' })
  @ApiOkResponse({ type: OutboxEventPageResponse, description: 'One page of events; nextCursor is null on the last page' })
  async listOutboxEvents(@Query() query: ListOutboxEventsQuery): Promise<OutboxEventPageResponse> {
    const page = await this.outbox.listEvents(query.status, query.limit, query.cursor === undefined ? undefined : Number(query.cursor));
    return { items: page.items.map(toOutboxEventResponse), nextCursor: page.nextCursor };
  }

  @Post(':eventId/retry')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'retryOutboxEvent', summary: 'Re-queue a DEAD event with a fresh budget of attempts (admin)' })
  @ApiOkResponse({ type: OutboxEventResponse, description: 'The event, PENDING again' })
  @ApiErrors(OutboxEventNotFoundError, OutboxEventNotDeadError)
  async retryOutboxEvent(@Param() params: OutboxEventParams): Promise<OutboxEventResponse> {
    return toOutboxEventResponse(await this.outbox.retryDeadEvent(params.eventId));
  }
}
