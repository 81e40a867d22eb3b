import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorResponseDto {
  // No examples here: each documented error response carries its own, one per code (ApiErrors).
  @ApiProperty({ type: 'integer', description: 'The HTTP status' }) statusCode: number;
  @ApiProperty({ description: 'What went wrong, stable for clients to act on' }) code: string;
  @ApiProperty({ description: 'For people; not stable' }) message: string;
  @ApiPropertyOptional({ description: 'X-Request-Id of the request, for the logs; absent only when the HTTP parser refused the request (400 BAD_REQUEST, 408, 431)' }) requestId?: string;
  @ApiPropertyOptional({ type: [String], maxItems: 20, description: 'One entry per problem, e.g. per invalid field; at most 20' }) details?: string[];
}
