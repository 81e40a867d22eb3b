import { Module } from '@nestjs/common';
import { UserModule } from '../user/user.module';
import { CouponIssueBatcher } from './coupon-issue-batcher';
import { CouponController } from './coupon.controller';
import { CouponRepository } from './coupon.repository';
import { CouponService } from './coupon.service';
import { UserCouponController } from './user-coupon.controller';

@Module({
  imports: [UserModule],
  controllers: [CouponController, UserCouponController],
  providers: [CouponService, CouponRepository, CouponIssueBatcher],
  exports: [CouponService],
})
export class CouponModule {}
