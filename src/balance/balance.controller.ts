import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiUserScoped, CurrentUser, requireSameUser } from '../auth/access.decorators';
import { ApiIdempotencyKey, IdempotencyKey } from '../idempotency/idempotency-key.decorator';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { ApiErrors } from '../openapi/api-errors';
import { ApiIdParam } from '../openapi/api-id-param';
import { ParseIdPipe } from '../validation/parse-id.pipe';
import { BalanceLimitExceededError, UserNotFoundError } from './balance.errors';
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
  constructor(
    private readonly balances: BalanceService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post('charge')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'chargeBalance', summary: 'Charge a user balance' })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: BalanceResponse, description: 'The balance after the charge' })
  @ApiErrors(UserNotFoundError, BalanceLimitExceededError)
  chargeBalance(
    @Param('userId', ParseIdPipe) userId: number,
    @Body() request: ChargeBalanceRequest,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @CurrentUser() currentUser: number,
  ): Promise<BalanceResponse> {
    requireSameUser(currentUser, userId);
    const command = { userId, amount: request.amount };
    return this.idempotency.run(
      { operation: 'chargeBalance', userId, key: idempotencyKey, request: command },
      (manager) => this.balances.chargeBalance(manager, command),
      toBalanceResponse,
    );
  }

  @Get()
  @ApiOperation({ operationId: 'getBalance', summary: 'Look up a user balance' })
  @ApiOkResponse({ type: BalanceResponse, description: 'The balance (0 for a user who never charged)' })
  @ApiErrors(UserNotFoundError)
  async getBalance(@Param('userId', ParseIdPipe) userId: number, @CurrentUser() currentUser: number): Promise<BalanceResponse> {
    requireSameUser(currentUser, userId);
    return toBalanceResponse(await this.balances.getBalance(userId));
  }

  @Get('history')
  @ApiOperation({ operationId: 'getBalanceHistory', summary: 'Balance changes, newest first' })
  @ApiOkResponse({ type: BalanceHistoryResponse, description: 'One page of balance changes; nextCursor is null on the last page' })
  @ApiErrors(UserNotFoundError)
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
