import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiUserScoped, CurrentUser, requireSameUser } from '../auth/access.decorators';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { ApiIdempotencyKey, IdempotencyKey } from '../idempotency/idempotency-key.decorator';
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
  @ApiCreatedResponse({ type: PaymentResponse })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: "FORBIDDEN (the userId is not the token's user), ORDER_NOT_OWNED" })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'ORDER_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'ORDER_NOT_PAYABLE, INSUFFICIENT_BALANCE, COUPON_NOT_USABLE' })
  @ApiIdempotencyKey()
  payOrder(
    @Body() request: PayOrderRequest,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @CurrentUser() currentUser: number,
  ): Promise<PaymentResponse> {
    requireSameUser(currentUser, request.userId);
    return this.payments.payOrder(request, toPaymentResponse, idempotencyKey);
  }
}
