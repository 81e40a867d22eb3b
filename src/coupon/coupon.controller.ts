import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../admin/admin-key.guard';
import { ApiUserScoped, CurrentUser, requireSameUser } from '../auth/access.decorators';
import { ApiErrors } from '../openapi/api-errors';
import { ApiIdParam } from '../openapi/api-id-param';
import { Public } from '../routing/route-access';
import { UserNotFoundError } from '../user/user.errors';
import { ParseIdPipe } from '../validation/parse-id.pipe';
import { CouponAlreadyIssuedError, CouponNotFoundError, CouponSoldOutError } from './coupon.errors';
import { CouponService } from './coupon.service';
import {
  CouponDetailResponse,
  CouponResponse,
  CreateCouponRequest,
  IssueCouponRequest,
  IssuedCouponResponse,
  toCouponDetailResponse,
  toCouponResponse,
  toIssuedCouponResponse,
} from './dto/coupon.dto';

@Controller('coupons')
export class CouponController {
  constructor(private readonly coupons: CouponService) {}

  @Post()
  @AdminOnly()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ operationId: 'createCoupon', summary: 'Create a first-come coupon (admin)' })
  @ApiCreatedResponse({ type: CouponResponse, description: 'The coupon, none issued yet' })
  async createCoupon(@Body() request: CreateCouponRequest): Promise<CouponResponse> {
    return toCouponResponse(await this.coupons.createCoupon(request));
  }

  @Get(':couponId')
  @Public()
  @ApiTags('coupons')
  @ApiOperation({ operationId: 'getCoupon', summary: 'A coupon with how many are issued and remain' })
  @ApiIdParam('couponId')
  @ApiOkResponse({ type: CouponDetailResponse, description: 'The coupon' })
  @ApiErrors(CouponNotFoundError)
  async getCoupon(@Param('couponId', ParseIdPipe) couponId: number): Promise<CouponDetailResponse> {
    return toCouponDetailResponse(await this.coupons.getCoupon(couponId));
  }

  @Post(':couponId/issue')
  @ApiUserScoped()
  @ApiTags('coupons')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ operationId: 'issueCoupon', summary: 'Issue the coupon to a user, first come first served' })
  @ApiIdParam('couponId')
  @ApiCreatedResponse({ type: IssuedCouponResponse, description: 'The coupon now held by the user' })
  @ApiErrors(CouponNotFoundError, UserNotFoundError, CouponSoldOutError, CouponAlreadyIssuedError)
  async issueCoupon(
    @Param('couponId', ParseIdPipe) couponId: number,
    @Body() request: IssueCouponRequest,
    @CurrentUser() currentUser: number,
  ): Promise<IssuedCouponResponse> {
    requireSameUser(currentUser, request.userId);
    return toIssuedCouponResponse(await this.coupons.issueCoupon(couponId, request.userId));
  }
}
