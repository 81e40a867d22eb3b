import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiUserScoped, CurrentUser, requireSameUser } from '../auth/access.decorators';
import { ForbiddenError } from '../auth/auth.errors';
import { InsufficientBalanceError } from '../balance/balance.errors';
import { CouponNotUsableError } from '../coupon/coupon.errors';
import { ApiIdempotencyKey, IdempotencyKey } from '../idempotency/idempotency-key.decorator';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { ApiErrors } from '../openapi/api-errors';
import { OrderNotFoundError, OrderNotPayableError } from '../order/order.errors';
import { PaymentResponse, PayOrderRequest, toPaymentResponse } from './dto/payment.dto';
import { PaymentService } from './payment.service';

@ApiTags('payments')
@Controller('payments')
@ApiUserScoped({ forbidden: false })
export class PaymentController {
  constructor(
    private readonly payments: PaymentService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ operationId: 'payOrder', summary: 'Pay an order from the balance (coupon applied, data platform notified)' })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: PaymentResponse, description: 'The payment; the order is PAID' })
  @ApiErrors(ForbiddenError, OrderNotFoundError, OrderNotPayableError, InsufficientBalanceError, CouponNotUsableError)
  payOrder(
    @Body() request: PayOrderRequest,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @CurrentUser() currentUser: number,
  ): Promise<PaymentResponse> {
    requireSameUser(currentUser, request.userId);
    return this.idempotency.run(
      { operation: 'payOrder', userId: request.userId, key: idempotencyKey, request },
      (manager) => this.payments.payOrder(manager, request),
      toPaymentResponse,
    );
  }
}
