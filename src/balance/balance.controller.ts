import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiUserScoped, CurrentUser, requireSameUser } from '../auth/access.decorators';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { ApiIdempotencyKey, IdempotencyKey } from '../idempotency/idempotency-key.decorator';
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
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
@ApiNotFoundResponse({ type: ErrorResponseDto, description: 'USER_NOT_FOUND' })
@ApiUserScoped()
export class BalanceController {
  constructor(private readonly balances: BalanceService) {}

  @Post('charge')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'chargeBalance', summary: 'Charge a user balance' })
  @ApiOkResponse({ type: BalanceResponse, description: 'The balance after the charge' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'BALANCE_LIMIT_EXCEEDED' })
  @ApiIdempotencyKey()
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
  @ApiOkResponse({ type: BalanceResponse })
  async getBalance(@Param('userId', ParseIdPipe) userId: number, @CurrentUser() currentUser: number): Promise<BalanceResponse> {
    requireSameUser(currentUser, userId);
    return toBalanceResponse(await this.balances.getBalance(userId));
  }

  @Get('history')
  @ApiOperation({ operationId: 'getBalanceHistory', summary: 'Balance changes, newest first' })
  @ApiOkResponse({ type: BalanceHistoryResponse })
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
