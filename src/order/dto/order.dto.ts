import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsEnum, IsOptional, ValidateNested } from 'class-validator';
import { CursorQuery, IdField, IntField, IntQuery } from '../../validation/decorators';
import type { OrderView } from '../order.types';
import { OrderStatus } from '../order-status';

const MAX_ORDER_LINES = 50;
const MAX_LINE_QUANTITY = 1_000;

export class OrderLineRequest {
  @IdField({ example: 1 }) productId: number;
  @IntField(1, MAX_LINE_QUANTITY, { example: 2 }) quantity: number;
}

export class PlaceOrderRequest {
  @IdField({ example: 1 }) userId: number;

  // Decorators apply bottom-up and validation stops at the first failing rule: IsArray runs first.
  @ApiProperty({ type: [OrderLineRequest], minItems: 1, maxItems: MAX_ORDER_LINES })
  @ArrayUnique((line: OrderLineRequest) => line?.productId, { message: 'items must not list a productId twice' })
  @ArrayMaxSize(MAX_ORDER_LINES)
  @ArrayMinSize(1)
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => OrderLineRequest)
  items: OrderLineRequest[];

  @IsOptional()
  @IdField({ required: false, nullable: true, description: 'Id of a coupon the user holds (see GET /api/v1/users/{userId}/coupons); absent or null for none' })
  couponId?: number | null;
}

export class OrderLineResponse {
  @ApiProperty({ type: 'integer', example: 1 }) productId: number;
  @ApiProperty({ type: 'integer', example: 89_000, description: 'Won' }) unitPrice: number;
  @ApiProperty({ type: 'integer', example: 2 }) quantity: number;
  @ApiProperty({ type: 'integer', example: 178_000, description: 'unitPrice × quantity' }) lineAmount: number;
}

const NULLABLE_TIME = { type: 'string', format: 'date-time', nullable: true } as const;

export class OrderResponse {
  @ApiProperty({ type: 'integer', example: 10 }) orderId: number;
  @ApiProperty({ type: 'integer', example: 1 }) userId: number;
  @ApiProperty({ enum: OrderStatus, description: 'As the user sees it: an unpaid order past expiresAt is EXPIRED' }) status: OrderStatus;
  @ApiProperty({ type: [OrderLineResponse] }) items: OrderLineResponse[];
  @ApiProperty({ type: 'integer', example: 178_000 }) totalAmount: number;
  @ApiProperty({ type: 'integer', example: 5_000 }) discountAmount: number;
  @ApiProperty({ type: 'integer', example: 173_000, description: 'totalAmount − discountAmount' }) payAmount: number;
  @ApiProperty({ type: 'integer', nullable: true, example: null, description: 'The coupon applied, or null' }) couponId: number | null;
  @ApiProperty({ format: 'date-time', example: '2026-11-25T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-25T10:15:00.000Z' }) expiresAt: string;
  @ApiProperty({ ...NULLABLE_TIME, example: '2026-11-25T10:03:00.000Z', description: "The payment's time once PAID, otherwise null" }) paidAt: string | null;
  @ApiProperty({ ...NULLABLE_TIME, example: null, description: 'When the user canceled it unpaid (CANCELED), otherwise null' }) canceledAt: string | null;
  @ApiProperty({ ...NULLABLE_TIME, example: null, description: 'When the user canceled it paid and was refunded (REFUNDED), otherwise null' }) refundedAt: string | null;
}

export class OrderListQuery {
  @ApiPropertyOptional({ enum: OrderStatus, description: 'Only orders in this status as the user sees it' })
  @IsOptional()
  @IsEnum(OrderStatus, { message: `status must be one of ${Object.values(OrderStatus).join(', ')}` })
  status?: OrderStatus;

  @IntQuery(1, 100, 20) limit = 20;

  @CursorQuery() cursor?: string;
}

export class OrderListResponse {
  @ApiProperty({ type: [OrderResponse] }) items: OrderResponse[];
  @ApiProperty({ type: 'string', nullable: true, example: null, description: 'Pass as cursor for the next page; null on the last page' }) nextCursor: string | null;
}

export class CancelOrderRequest {
  @IdField({ example: 1 }) userId: number;
}

/** An order as the API shows it; `order.status` is already the status the user sees. */
export function toOrderResponse(order: OrderView): OrderResponse {
  return {
    orderId: order.id,
    userId: order.userId,
    status: order.status,
    items: order.items.map((item) => ({
      productId: item.productId,
      unitPrice: item.unitPrice,
      quantity: item.quantity,
      lineAmount: item.lineAmount,
    })),
    totalAmount: order.totalAmount,
    discountAmount: order.discountAmount,
    payAmount: order.payAmount,
    couponId: order.couponId,
    createdAt: order.createdAt.toISOString(),
    expiresAt: order.expiresAt.toISOString(),
    paidAt: order.paidAt?.toISOString() ?? null,
    canceledAt: order.canceledAt?.toISOString() ?? null,
    refundedAt: order.refundedAt?.toISOString() ?? null,
  };
}
