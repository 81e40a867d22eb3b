import { ApiProperty } from '@nestjs/swagger';
import { IdField } from '../../validation/decorators';
import { PaymentStatus } from '../entities/payment.entity';
import type { PaymentView } from '../payment.types';

export class PayOrderRequest {
  @IdField({ example: 1, description: 'The orderId answered by POST /api/v1/orders' }) orderId: number;
  @IdField({ example: 1 }) userId: number;
}

export class PaymentResponse {
  @ApiProperty({ type: 'integer', example: 7 }) paymentId: number;
  @ApiProperty({ type: 'integer', example: 10 }) orderId: number;
  @ApiProperty({ type: 'integer', example: 1 }) userId: number;
  @ApiProperty({ type: 'integer', example: 173_000, description: 'Won taken from the balance' }) amount: number;
  @ApiProperty({ enum: PaymentStatus }) status: PaymentStatus;
  @ApiProperty({ format: 'date-time', example: '2026-11-25T10:05:00.000Z' }) paidAt: string;
}

export function toPaymentResponse(payment: PaymentView): PaymentResponse {
  return {
    paymentId: payment.id,
    orderId: payment.orderId,
    userId: payment.userId,
    amount: payment.amount,
    status: payment.status,
    paidAt: payment.paidAt.toISOString(),
  };
}
