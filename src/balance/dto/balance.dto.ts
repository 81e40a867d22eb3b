import { ApiProperty } from '@nestjs/swagger';
import { CursorQuery, IntField, IntQuery } from '../../validation/decorators';
import { MAX_CHARGE, MIN_CHARGE } from '../balance.rules';
import type { BalanceView } from '../balance.types';
import { BalanceChangeType, BalanceHistory } from '../entities/balance-history.entity';

export class ChargeBalanceRequest {
  @IntField(MIN_CHARGE, MAX_CHARGE, { example: 10_000, description: 'Won to add' })
  amount: number;
}

export class BalanceResponse {
  @ApiProperty({ type: 'integer', example: 1 }) userId: number;
  @ApiProperty({ type: 'integer', example: 25_000, description: 'Won' }) balance: number;
}

export class BalanceHistoryQuery {
  @IntQuery(1, 100, 20) limit = 20;

  @CursorQuery() cursor?: string;
}

export class BalanceHistoryItem {
  @ApiProperty({ type: 'integer', example: 7 }) id: number;
  @ApiProperty({ enum: BalanceChangeType }) type: BalanceChangeType;
  @ApiProperty({ type: 'integer', example: 10_000, description: 'Positive; the type gives the direction' }) amount: number;
  @ApiProperty({ type: 'integer', example: 25_000 }) balanceAfter: number;
  @ApiProperty({ type: 'integer', nullable: true, example: null }) orderId: number | null;
  @ApiProperty({ format: 'date-time', example: '2026-11-25T10:00:00.000Z' }) createdAt: string;
}

export class BalanceHistoryResponse {
  @ApiProperty({ type: [BalanceHistoryItem] }) items: BalanceHistoryItem[];
  @ApiProperty({ type: 'string', nullable: true, example: null }) nextCursor: string | null;
}

export function toBalanceResponse(view: BalanceView): BalanceResponse {
  return { userId: view.userId, balance: view.balance };
}

export function toBalanceHistoryItem(row: BalanceHistory): BalanceHistoryItem {
  return {
    id: row.id,
    type: row.type,
    amount: row.amount,
    balanceAfter: row.balanceAfter,
    orderId: row.orderId,
    createdAt: row.createdAt.toISOString(),
  };
}
