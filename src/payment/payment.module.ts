import { Module } from '@nestjs/common';
import { BalanceModule } from '../balance/balance.module';
import { CouponModule } from '../coupon/coupon.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { OrderModule } from '../order/order.module';
import { OutboxModule } from '../outbox/outbox.module';
import { RankingModule } from '../ranking/ranking.module';
import { PaymentController } from './payment.controller';
import { PaymentRepository } from './payment.repository';
import { PaymentService } from './payment.service';

@Module({
  imports: [OrderModule, BalanceModule, CouponModule, OutboxModule, IdempotencyModule, RankingModule],
  controllers: [PaymentController],
  providers: [PaymentService, PaymentRepository],
})
export class PaymentModule {}
