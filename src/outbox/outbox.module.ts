import { Module } from '@nestjs/common';
import { OutboxRelay } from './outbox-relay';
import { OutboxRetentionJob } from './outbox-retention.job';
import { OutboxController } from './outbox.controller';
import { OutboxMetrics } from './outbox.metrics';
import { OutboxRepository } from './outbox.repository';
import { OutboxService } from './outbox.service';

@Module({
  controllers: [OutboxController],
  providers: [OutboxService, OutboxRepository, OutboxRelay, OutboxMetrics, OutboxRetentionJob],
  exports: [OutboxService],
})
export class OutboxModule {}
