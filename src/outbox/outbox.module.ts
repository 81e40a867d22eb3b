import { Module } from '@nestjs/common';
import { OutboxRelay } from './outbox-relay';
import { OutboxController } from './outbox.controller';
import { OutboxMetrics } from './outbox.metrics';
import { OutboxRepository } from './outbox.repository';
import { OutboxService } from './outbox.service';

@Module({
  controllers: [OutboxController],
  providers: [OutboxService, OutboxRepository, OutboxRelay, OutboxMetrics],
  exports: [OutboxService],
})
export class OutboxModule {}
