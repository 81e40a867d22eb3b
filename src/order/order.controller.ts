import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { ApiIdempotencyKey, IdempotencyKey } from '../idempotency/idempotency-key.decorator';
import { ParseIdPipe } from '../validation/parse-id.pipe';
import { OrderDetailResponse, OrderResponse, PlaceOrderRequest, toOrderDetailResponse } from './dto/order.dto';
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
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'OUT_OF_STOCK, COUPON_NOT_USABLE' })
  @ApiIdempotencyKey()
  placeOrder(@Body() request: PlaceOrderRequest, @IdempotencyKey() idempotencyKey: string | undefined): Promise<OrderResponse> {
    return this.orders.placeOrder(request, idempotencyKey);
  }

  @Get(':orderId')
  @ApiOperation({ operationId: 'getOrder', summary: 'An order with its current status' })
  @ApiOkResponse({ type: OrderDetailResponse })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'ORDER_NOT_FOUND' })
  async getOrder(@Param('orderId', ParseIdPipe) orderId: number): Promise<OrderDetailResponse> {
    return toOrderDetailResponse(await this.orders.getOrder(orderId));
  }
}
