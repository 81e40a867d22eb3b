import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiUserScoped, CurrentUser, requireSameUser } from '../auth/access.decorators';
import { ApiIdempotencyKey, IdempotencyKey } from '../idempotency/idempotency-key.decorator';
import { ApiErrors } from '../openapi/api-errors';
import { ApiIdParam } from '../openapi/api-id-param';
import { ParseIdPipe } from '../validation/parse-id.pipe';
import { BalanceService } from './balance.service';
import {
  BalanceHistoryQuery,
  BalanceHistoryResponse,
  BalanceResponse,
  ChargeBalanceRequest,
  toBalanceHistoryItem,
  toBalanceResponse,
} from './dto/balance.dto';

@ApiTags('balance')
@Controller('users/:userId/balance')
@ApiUserScoped()
@ApiIdParam('userId')
export class BalanceController {
  constructor(private readonly balances: BalanceService) {}

  @Post('charge')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'chargeBalance', summary: 'Charge a user balance' })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: BalanceResponse, description: 'The balance after the charge' })
  @ApiErrors({ 404: ['USER_NOT_FOUND'], 409: ['BALANCE_LIMIT_EXCEEDED'] })
  chargeBalance(
    @Param('userId', ParseIdPipe) userId: number,
    @Body() request: ChargeBalanceRequest,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @CurrentUser() currentUser: number,
  ): Promise<BalanceResponse> {
    requireSameUser(currentUser, userId);
    return this.balances.chargeBalance(userId, request.amount, toBalanceResponse, idempotencyKey);
  }

  @Get()
  @ApiOperation({ operationId: 'getBalance', summary: 'Look up a user balance' })
  @ApiOkResponse({ type: BalanceResponse, description: 'The balance (0 for a user who never charged)' })
  @ApiErrors({ 404: ['USER_NOT_FOUND'] })
  async getBalance(@Param('userId', ParseIdPipe) userId: number, @CurrentUser() currentUser: number): Promise<BalanceResponse> {
    requireSameUser(currentUser, userId);
    return toBalanceResponse(await this.balances.getBalance(userId));
  }

  @Get('history')
  @ApiOperation({ operationId: 'getBalanceHistory', summary: 'Balance changes, newest first' })
  @ApiOkResponse({ type: BalanceHistoryResponse, description: 'One page of balance changes; nextCursor is null on the last page' })
  @ApiErrors({ 404: ['USER_NOT_FOUND'] })
  async getBalanceHistory(
    @Param('userId', ParseIdPipe) userId: number,
    @Query() query: BalanceHistoryQuery,
    @CurrentUser() currentUser: number,
  ): Promise<BalanceHistoryResponse> {
    requireSameUser(currentUser, userId);
    const page = await this.balances.getHistory(userId, query.limit, query.cursor === undefined ? undefined : Number(query.cursor));
    return { items: page.items.map(toBalanceHistoryItem), nextCursor: page.nextCursor };
  }
}
