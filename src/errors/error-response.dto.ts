import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorResponseDto {
  @ApiProperty({ example: 409 }) statusCode: number;
  @ApiProperty({ example: 'INSUFFICIENT_BALANCE' }) code: string;
  @ApiProperty({ example: 'balance 3000 is less than the amount 5000' }) message: string;
  @ApiPropertyOptional({ example: 'b3c1f0de-4c1e-4f3a-9a55-0d5f0a6f2d7e' }) requestId?: string;
  @ApiPropertyOptional({ type: [String], example: ['amount must be an integer'] }) details?: string[];
}
