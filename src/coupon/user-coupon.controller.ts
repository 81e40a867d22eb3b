import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiUserScoped, CurrentUser, requireSameUser } from '../auth/access.decorators';
import { ApiErrors } from '../openapi/api-errors';
import { ApiIdParam } from '../openapi/api-id-param';
import { UserNotFoundError } from '../user/user.errors';
import { ParseIdPipe } from '../validation/parse-id.pipe';
import { CouponService } from './coupon.service';
import { OwnedCouponListResponse, toOwnedCouponResponse } from './dto/coupon.dto';

@ApiTags('coupons')
@Controller('users/:userId/coupons')
@ApiUserScoped()
export class UserCouponController {
  constructor(private readonly coupons: CouponService) {}

  @Get()
  @ApiOperation({ operationId: 'listUserCoupons', summary: "A user's coupons, newest first" })
  @ApiIdParam('userId')
  @ApiOkResponse({ type: OwnedCouponListResponse, description: "The user's coupons" })
  @ApiErrors(UserNotFoundError)
  async listUserCoupons(@Param('userId', ParseIdPipe) userId: number, @CurrentUser() currentUser: number): Promise<OwnedCouponListResponse> {
    requireSameUser(currentUser, userId);
    return { items: (await this.coupons.listUserCoupons(userId)).map(toOwnedCouponResponse) };
  }
}
