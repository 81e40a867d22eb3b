import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiUserScoped, CurrentUser, requireSameUser } from '../auth/access.decorators';
import { ApiErrors } from '../openapi/api-errors';
import { ApiIdParam } from '../openapi/api-id-param';
import { UserNotFoundError } from '../user/user.errors';
import { ParseIdPipe } from '../validation/parse-id.pipe';
import { OrderListQuery, OrderListResponse, toOrderResponse } from './dto/order.dto';
import { OrderService } from './order.service';

@ApiTags('orders')
@Controller('users/:userId/orders')
@ApiUserScoped()
export class UserOrderController {
  constructor(private readonly orders: OrderService) {}

  @Get()
  @ApiOperation({ operationId: 'listUserOrders', summary: "A user's orders, newest first, optionally of one status" })
  @ApiIdParam('userId')
  @ApiOkResponse({ type: OrderListResponse, description: 'One page of orders; nextCursor is null on the last page' })
  @ApiErrors(UserNotFoundError)
  async listUserOrders(@Param('userId', ParseIdPipe) userId: number, @Query() query: OrderListQuery, @CurrentUser() currentUser: number): Promise<OrderListResponse> {
    requireSameUser(currentUser, userId);
    const cursor = query.cursor === undefined ? undefined : Number(query.cursor);
    const page = await this.orders.listUserOrders(userId, { status: query.status, limit: query.limit, cursor });
    return { items: page.items.map(toOrderResponse), nextCursor: page.nextCursor };
  }
}
