import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AdminOnly } from '../admin/admin-key.guard';
import { ApiUserScoped, CurrentUser, Public, requireSameUser } from '../auth/access.decorators';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { ParseIdPipe } from '../validation/parse-id.pipe';
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

@ApiTags('coupons')
@Controller('coupons')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
export class CouponController {
  constructor(private readonly coupons: CouponService) {}

  @Post()
  @AdminOnly()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ operationId: 'createCoupon', summary: 'Create a first-come coupon (admin)' })
  @ApiCreatedResponse({ type: CouponResponse })
  async createCoupon(@Body() request: CreateCouponRequest): Promise<CouponResponse> {
    return toCouponResponse(await this.coupons.createCoupon(request));
  }

  @Get(':couponId')
  @Public()
  @ApiOperation({ operationId: 'getCoupon', summary: 'A coupon with how many are issued and remain' })
  @ApiOkResponse({ type: CouponDetailResponse })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'COUPON_NOT_FOUND' })
  async getCoupon(@Param('couponId', ParseIdPipe) couponId: number): Promise<CouponDetailResponse> {
    return toCouponDetailResponse(await this.coupons.getCoupon(couponId));
  }

  @Post(':couponId/issue')
  @ApiUserScoped()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ operationId: 'issueCoupon', summary: 'Issue the coupon to a user, first come first served' })
  @ApiCreatedResponse({ type: IssuedCouponResponse })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'COUPON_NOT_FOUND or USER_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'COUPON_SOLD_OUT or COUPON_ALREADY_ISSUED' })
  async issueCoupon(
    @Param('couponId', ParseIdPipe) couponId: number,
    @Body() request: IssueCouponRequest,
    @CurrentUser() currentUser: number,
  ): Promise<IssuedCouponResponse> {
    requireSameUser(currentUser, request.userId);
    return toIssuedCouponResponse(await this.coupons.issueCoupon(couponId, request.userId));
  }
}
