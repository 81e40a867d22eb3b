import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiUserScoped, CurrentUser, requireSameUser } from '../auth/access.decorators';
import { ApiIdempotencyKey, IdempotencyKey } from '../idempotency/idempotency-key.decorator';
import { ApiErrors } from '../openapi/api-errors';
import { PaymentResponse, PayOrderRequest, toPaymentResponse } from './dto/payment.dto';
import { PaymentService } from './payment.service';

@ApiTags('payments')
@Controller('payments')
@ApiUserScoped({ forbidden: false })
export class PaymentController {
  constructor(private readonly payments: PaymentService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ operationId: 'payOrder', summary: 'Pay an order from the balance (coupon applied, data platform notified)' })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: PaymentResponse, description: 'The payment; the order is PAID' })
  @ApiErrors({
    403: ['FORBIDDEN', 'ORDER_NOT_OWNED'],
    404: ['ORDER_NOT_FOUND'],
    409: ['ORDER_NOT_PAYABLE', 'INSUFFICIENT_BALANCE', 'COUPON_NOT_USABLE'],
  })
  payOrder(
    @Body() request: PayOrderRequest,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @CurrentUser() currentUser: number,
  ): Promise<PaymentResponse> {
    requireSameUser(currentUser, request.userId);
    return this.payments.payOrder(request, toPaymentResponse, idempotencyKey);
  }
}
