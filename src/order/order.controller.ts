import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiUserScoped, CurrentUser, requireSameUser } from '../auth/access.decorators';
import { CouponNotUsableError } from '../coupon/coupon.errors';
import { ApiIdempotencyKey, IdempotencyKey } from '../idempotency/idempotency-key.decorator';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { ApiErrors } from '../openapi/api-errors';
import { ApiIdParam } from '../openapi/api-id-param';
import { OutOfStockError, ProductNotFoundError } from '../product/product.errors';
import { UserNotFoundError } from '../user/user.errors';
import { ParseIdPipe } from '../validation/parse-id.pipe';
import { CancelOrderRequest, OrderResponse, PlaceOrderRequest, toOrderResponse } from './dto/order.dto';
import { OrderCancellationService } from './order-cancellation.service';
import { OrderNotCancelableError, OrderNotFoundError, TooManyPendingOrdersError } from './order.errors';
import { OrderService } from './order.service';

@Controller('orders')
export class OrderController {
  constructor(
    private readonly orders: OrderService,
    private readonly cancellation: OrderCancellationService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post()
  @ApiTags('orders')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ operationId: 'placeOrder', summary: 'Place an order: stock of every line is taken, all or none' })
  @ApiIdempotencyKey()
  @ApiBody({
    type: PlaceOrderRequest,
    examples: {
      withoutCoupon: { summary: 'One product, no coupon', value: { userId: 1, items: [{ productId: 1, quantity: 1 }] } },
      withCoupon: {
        summary: 'With a coupon the user holds',
        description: 'Issue it first: POST /api/v1/coupons/1/issue with { "userId": 1 }.',
        value: { userId: 1, items: [{ productId: 1, quantity: 1 }], couponId: 1 },
      },
    },
  })
  @ApiCreatedResponse({ type: OrderResponse, description: 'The order, PENDING_PAYMENT until paid, canceled or expired' })
  @ApiErrors(UserNotFoundError, ProductNotFoundError, OutOfStockError, CouponNotUsableError, TooManyPendingOrdersError)
  @ApiUserScoped()
  placeOrder(
    @Body() request: PlaceOrderRequest,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @CurrentUser() currentUser: number,
  ): Promise<OrderResponse> {
    requireSameUser(currentUser, request.userId);
    return this.idempotency.run(
      { operation: 'placeOrder', userId: request.userId, key: idempotencyKey, request },
      (manager) => this.orders.placeOrder(manager, request),
      toOrderResponse,
    );
  }

  @Get(':orderId')
  @ApiTags('orders')
  @ApiOperation({ operationId: 'getOrder', summary: 'An order with its current status' })
  @ApiIdParam('orderId')
  @ApiOkResponse({ type: OrderResponse, description: 'The order with its current status' })
  @ApiErrors(OrderNotFoundError)
  @ApiUserScoped({ forbidden: false })
  async getOrder(@Param('orderId', ParseIdPipe) orderId: number, @CurrentUser() currentUser: number): Promise<OrderResponse> {
    return toOrderResponse(await this.orders.getOrder(orderId, currentUser));
  }

  @Post(':orderId/cancel')
  @ApiTags('cancellations')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'cancelOrder',
    summary: 'Cancel an order: unpaid → CANCELED (stock back); paid within REFUND_WINDOW_DAYS → REFUNDED (balance, coupon and stock back)',
  })
  @ApiIdParam('orderId')
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: OrderResponse, description: 'The order, now CANCELED or REFUNDED' })
  @ApiErrors(OrderNotFoundError, OrderNotCancelableError)
  @ApiUserScoped()
  cancelOrder(
    @Param('orderId', ParseIdPipe) orderId: number,
    @Body() request: CancelOrderRequest,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @CurrentUser() currentUser: number,
  ): Promise<OrderResponse> {
    requireSameUser(currentUser, request.userId);
    const command = { orderId, userId: request.userId };
    return this.idempotency.run(
      { operation: 'cancelOrder', userId: request.userId, key: idempotencyKey, request: command },
      (manager) => this.cancellation.cancelOrder(manager, command),
      toOrderResponse,
    );
  }
}
