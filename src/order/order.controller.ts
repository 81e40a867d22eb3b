import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiUserScoped, CurrentUser, requireSameUser } from '../auth/access.decorators';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { ApiIdempotencyKey, IdempotencyKey } from '../idempotency/idempotency-key.decorator';
import { ParseIdPipe } from '../validation/parse-id.pipe';
import { OrderDetailResponse, OrderResponse, PlaceOrderRequest, toOrderDetailResponse, toOrderResponse } from './dto/order.dto';
import { OrderNotFoundError } from './order.errors';
import { OrderService } from './order.service';

@ApiTags('orders')
@Controller('orders')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
export class OrderController {
  constructor(private readonly orders: OrderService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ operationId: 'placeOrder', summary: 'Place an order: stock of every line is taken, all or none' })
  @ApiCreatedResponse({ type: OrderResponse })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'USER_NOT_FOUND, PRODUCT_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'OUT_OF_STOCK, COUPON_NOT_USABLE, TOO_MANY_PENDING_ORDERS' })
  @ApiIdempotencyKey()
  @ApiUserScoped()
  placeOrder(
    @Body() request: PlaceOrderRequest,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @CurrentUser() currentUser: number,
  ): Promise<OrderResponse> {
    requireSameUser(currentUser, request.userId);
    return this.orders.placeOrder(request, toOrderResponse, idempotencyKey);
  }

  @Get(':orderId')
  @ApiOperation({ operationId: 'getOrder', summary: 'An order with its current status' })
  @ApiOkResponse({ type: OrderDetailResponse })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: "ORDER_NOT_FOUND (also for another user's order)" })
  @ApiUserScoped({ forbidden: false })
  async getOrder(@Param('orderId', ParseIdPipe) orderId: number, @CurrentUser() currentUser: number): Promise<OrderDetailResponse> {
    const order = await this.orders.getOrder(orderId);
    // Another user's order is answered like a missing one: its existence is not revealed.
    if (order.userId !== currentUser) throw new OrderNotFoundError(orderId);
    return toOrderDetailResponse(order);
  }
}
