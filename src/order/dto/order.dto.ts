import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsOptional, ValidateNested } from 'class-validator';
import { IdField, IntField } from '../../validation/decorators';
import type { OrderView } from '../order.types';
import { effectiveStatus, OrderStatus } from '../order-status';

const MAX_ORDER_LINES = 50;
const MAX_LINE_QUANTITY = 1_000;

export class OrderLineRequest {
  @IdField({ example: 1 }) productId: number;
  @IntField(1, MAX_LINE_QUANTITY, { example: 2 }) quantity: number;
}

export class PlaceOrderRequest {
  @IdField({ example: 1 }) userId: number;

  @ApiProperty({ type: [OrderLineRequest], minItems: 1, maxItems: MAX_ORDER_LINES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ORDER_LINES)
  @ArrayUnique((line: OrderLineRequest) => line?.productId, { message: 'items must not list a productId twice' })
  @ValidateNested({ each: true })
  @Type(() => OrderLineRequest)
  items: OrderLineRequest[];

  @IsOptional()
  @IdField({ required: false, description: 'Id of a coupon the user holds (see GET /api/v1/users/{userId}/coupons)' })
  couponId?: number;
}

export class OrderLineResponse {
  @ApiProperty({ type: 'integer', example: 1 }) productId: number;
  @ApiProperty({ type: 'integer', example: 89_000, description: 'Won' }) unitPrice: number;
  @ApiProperty({ type: 'integer', example: 2 }) quantity: number;
  @ApiProperty({ type: 'integer', example: 178_000, description: 'unitPrice × quantity' }) lineAmount: number;
}

export class OrderResponse {
  @ApiProperty({ type: 'integer', example: 10 }) orderId: number;
  @ApiProperty({ type: 'integer', example: 1 }) userId: number;
  @ApiProperty({ enum: OrderStatus }) status: OrderStatus;
  @ApiProperty({ type: [OrderLineResponse] }) items: OrderLineResponse[];
  @ApiProperty({ type: 'integer', example: 178_000 }) totalAmount: number;
  @ApiProperty({ type: 'integer', example: 5_000 }) discountAmount: number;
  @ApiProperty({ type: 'integer', example: 173_000, description: 'totalAmount − discountAmount' }) payAmount: number;
  @ApiProperty({ type: 'integer', nullable: true, example: null, description: 'The coupon applied, or null' }) couponId: number | null;
  @ApiProperty({ format: 'date-time', example: '2026-11-25T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-25T10:15:00.000Z' }) expiresAt: string;
}

/** GET /orders/{id}: the order as placed, plus when it was paid. */
export class OrderDetailResponse extends OrderResponse {
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2026-11-25T10:03:00.000Z', description: "The payment's time once PAID, otherwise null" })
  paidAt: string | null;
}

export function toOrderResponse(order: OrderView, now = new Date()): OrderResponse {
  return {
    orderId: order.id,
    userId: order.userId,
    status: effectiveStatus(order, now),
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
  };
}

export function toOrderDetailResponse(order: OrderView, now = new Date()): OrderDetailResponse {
  return { ...toOrderResponse(order, now), paidAt: order.paidAt?.toISOString() ?? null };
}
