import { Controller, Get, Param } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiUserScoped, CurrentUser, requireSameUser } from '../auth/access.decorators';
import { ErrorResponseDto } from '../errors/error-response.dto';
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
  @ApiOkResponse({ type: OwnedCouponListResponse })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'USER_NOT_FOUND' })
  async listUserCoupons(@Param('userId', ParseIdPipe) userId: number, @CurrentUser() currentUser: number): Promise<OwnedCouponListResponse> {
    requireSameUser(currentUser, userId);
    return { items: (await this.coupons.listUserCoupons(userId)).map(toOwnedCouponResponse) };
  }
}
