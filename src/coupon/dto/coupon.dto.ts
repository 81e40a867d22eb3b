import { ApiProperty } from '@nestjs/swagger';
import { IsEnum, ValidateBy, ValidationArguments } from 'class-validator';
import { IdField, IntField, NameField } from '../../validation/decorators';
import type { HeldCoupon, OwnedCoupon } from '../coupon.types';
import { MAX_FIXED_DISCOUNT, MAX_PERCENT_DISCOUNT, MAX_TOTAL_QUANTITY, MAX_VALID_DAYS, OwnedCouponStatus } from '../coupon.rules';
import { Coupon, DiscountType } from '../entities/coupon.entity';

/** A PERCENT coupon takes at most 100 (%); FIXED is bounded by the field's own range. */
function PercentWithinRange(): PropertyDecorator {
  return ValidateBy({
    name: 'percentWithinRange',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        (args?.object as CreateCouponRequest).discountType !== DiscountType.PERCENT || (typeof value === 'number' && value <= MAX_PERCENT_DISCOUNT),
      defaultMessage: () => `discountValue must not be greater than ${MAX_PERCENT_DISCOUNT} for a PERCENT coupon`,
    },
  });
}

export class CreateCouponRequest {
  @NameField({ example: 'Welcome 5,000 won off' })
  name: string;

  @ApiProperty({ enum: DiscountType })
  @IsEnum(DiscountType)
  discountType: DiscountType;

  @IntField(1, MAX_FIXED_DISCOUNT, { example: 5_000, description: `FIXED: won off (1..${MAX_FIXED_DISCOUNT}); PERCENT: 1..100` })
  @PercentWithinRange()
  discountValue: number;

  @IntField(1, MAX_TOTAL_QUANTITY, { example: 100, description: 'How many can be issued in all' })
  totalQuantity: number;

  @IntField(1, MAX_VALID_DAYS, { example: 30, description: 'Days an issued coupon stays usable' })
  validDays: number;
}

export class IssueCouponRequest {
  @IdField({ example: 1 })
  userId: number;
}

export class CouponResponse {
  @ApiProperty({ type: 'integer', example: 3 }) id: number;
  @ApiProperty({ example: 'Welcome 5,000 won off' }) name: string;
  @ApiProperty({ enum: DiscountType }) discountType: DiscountType;
  @ApiProperty({ type: 'integer', example: 5_000, description: 'FIXED: won off; PERCENT: percent off' }) discountValue: number;
  @ApiProperty({ type: 'integer', example: 100 }) totalQuantity: number;
  @ApiProperty({ type: 'integer', example: 0 }) issuedQuantity: number;
  @ApiProperty({ type: 'integer', example: 30 }) validDays: number;
}

export class CouponDetailResponse extends CouponResponse {
  @ApiProperty({ type: 'integer', example: 100, description: 'totalQuantity − issuedQuantity' }) remainingQuantity: number;
}

export class IssuedCouponResponse {
  @ApiProperty({ type: 'integer', example: 12 }) userCouponId: number;
  @ApiProperty({ type: 'integer', example: 3 }) couponId: number;
  @ApiProperty({ type: 'integer', example: 1 }) userId: number;
  @ApiProperty({ example: 'Welcome 5,000 won off' }) name: string;
  @ApiProperty({ enum: DiscountType }) discountType: DiscountType;
  @ApiProperty({ type: 'integer', example: 5_000 }) discountValue: number;
  @ApiProperty({ enum: [OwnedCouponStatus.AVAILABLE], example: OwnedCouponStatus.AVAILABLE }) status: OwnedCouponStatus.AVAILABLE;
  @ApiProperty({ format: 'date-time', example: '2026-11-25T10:00:00.000Z' }) issuedAt: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-25T10:00:00.000Z', description: 'issuedAt + validDays' }) expiresAt: string;
}

export class OwnedCouponResponse {
  @ApiProperty({ type: 'integer', example: 12 }) userCouponId: number;
  @ApiProperty({ type: 'integer', example: 3 }) couponId: number;
  @ApiProperty({ example: 'Welcome 5,000 won off' }) name: string;
  @ApiProperty({ enum: DiscountType }) discountType: DiscountType;
  @ApiProperty({ type: 'integer', example: 5_000 }) discountValue: number;
  @ApiProperty({ enum: OwnedCouponStatus, description: 'EXPIRED: AVAILABLE past expiresAt' })
  status: OwnedCouponStatus;
  @ApiProperty({ format: 'date-time', example: '2026-11-25T10:00:00.000Z' }) issuedAt: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-25T10:00:00.000Z' }) expiresAt: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null }) usedAt: string | null;
}

export class OwnedCouponListResponse {
  @ApiProperty({ type: [OwnedCouponResponse], description: 'Newest first' }) items: OwnedCouponResponse[];
}

export function toCouponResponse(coupon: Coupon): CouponResponse {
  return {
    id: coupon.id,
    name: coupon.name,
    discountType: coupon.discountType,
    discountValue: coupon.discountValue,
    totalQuantity: coupon.totalQuantity,
    issuedQuantity: coupon.issuedQuantity,
    validDays: coupon.validDays,
  };
}

export function toCouponDetailResponse(coupon: Coupon): CouponDetailResponse {
  return { ...toCouponResponse(coupon), remainingQuantity: coupon.totalQuantity - coupon.issuedQuantity };
}

export function toIssuedCouponResponse(issued: HeldCoupon): IssuedCouponResponse {
  return {
    userCouponId: issued.userCouponId,
    couponId: issued.couponId,
    userId: issued.userId,
    name: issued.name,
    discountType: issued.discountType,
    discountValue: issued.discountValue,
    status: OwnedCouponStatus.AVAILABLE,
    issuedAt: issued.issuedAt.toISOString(),
    expiresAt: issued.expiresAt.toISOString(),
  };
}

export function toOwnedCouponResponse(owned: OwnedCoupon): OwnedCouponResponse {
  return {
    userCouponId: owned.userCouponId,
    couponId: owned.couponId,
    name: owned.name,
    discountType: owned.discountType,
    discountValue: owned.discountValue,
    status: owned.status,
    issuedAt: owned.issuedAt.toISOString(),
    expiresAt: owned.expiresAt.toISOString(),
    usedAt: owned.usedAt?.toISOString() ?? null,
  };
}
