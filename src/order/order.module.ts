import { Module } from '@nestjs/common';
import { BalanceModule } from '../balance/balance.module';
import { CouponModule } from '../coupon/coupon.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { OutboxModule } from '../outbox/outbox.module';
import { ProductModule } from '../product/product.module';
import { RankingModule } from '../ranking/ranking.module';
import { UserModule } from '../user/user.module';
import { OrderCancellationService } from './order-cancellation.service';
import { OrderController } from './order.controller';
import { OrderExpiryJob } from './order-expiry.job';
import { OrderRepository } from './order.repository';
import { OrderService } from './order.service';
import { UserOrderController } from './user-order.controller';

@Module({
  imports: [UserModule, ProductModule, CouponModule, BalanceModule, RankingModule, OutboxModule, IdempotencyModule],
  controllers: [OrderController, UserOrderController],
  providers: [OrderService, OrderCancellationService, OrderRepository, OrderExpiryJob],
  exports: [OrderService],
})
export class OrderModule {}
