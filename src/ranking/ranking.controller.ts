import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/access.decorators';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { TopProductsQuery, TopProductsResponse, toTopProductsResponse } from './dto/ranking.dto';
import { RankingService } from './ranking.service';

// Shares the `products` path with ProductController: RankingModule is registered first so that
// `top` is not taken for a `:productId`.
@ApiTags('products')
@Controller('products')
export class RankingController {
  constructor(private readonly ranking: RankingService) {}

  @Get('top')
  @Public()
  @ApiOperation({
    operationId: 'getTopProducts',
    summary: 'Products with the most units in orders paid within the last `days` days, ties by lower id',
    description: 'Results may be up to RANKING_CACHE_TTL_SECONDS old. The window starts at the top of the hour `days × 24 h` ago.',
  })
  @ApiOkResponse({ type: TopProductsResponse })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
  async getTopProducts(@Query() query: TopProductsQuery): Promise<TopProductsResponse> {
    return toTopProductsResponse(await this.ranking.getTopProducts(query.days, query.limit));
  }
}
