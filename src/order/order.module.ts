import { Module } from '@nestjs/common';
import { CouponModule } from '../coupon/coupon.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { ProductModule } from '../product/product.module';
import { UserModule } from '../user/user.module';
import { OrderController } from './order.controller';
import { OrderExpiryJob } from './order-expiry.job';
import { OrderRepository } from './order.repository';
import { OrderService } from './order.service';
import { PendingOrderLimit } from './pending-order-limit';

@Module({
  imports: [UserModule, ProductModule, CouponModule, IdempotencyModule],
  controllers: [OrderController],
  providers: [OrderService, OrderRepository, OrderExpiryJob, PendingOrderLimit],
  exports: [OrderService, OrderRepository],
})
export class OrderModule {}
