import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../admin/admin-key.guard';
import { ApiErrors } from '../openapi/api-errors';
import { ApiIdParam } from '../openapi/api-id-param';
import { TopProductsQuery, TopProductsResponse, toTopProductsResponse } from '../ranking/dto/ranking.dto';
import { RankingService } from '../ranking/ranking.service';
import { Public } from '../routing/route-access';
import { ParseIdPipe } from '../validation/parse-id.pipe';
import {
  CreateProductRequest,
  ListProductsQuery,
  ProductPageResponse,
  ProductResponse,
  RestockRequest,
  toProductPageResponse,
  toProductResponse,
} from './dto/product.dto';
import { ProductNotFoundError, StockLimitExceededError } from './product.errors';
import { ProductService } from './product.service';

@Controller('products')
export class ProductController {
  constructor(
    private readonly products: ProductService,
    private readonly ranking: RankingService,
  ) {}

  @Post()
  @AdminOnly()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ operationId: 'createProduct', summary: 'Create a product (admin)' })
  @ApiCreatedResponse({ type: ProductResponse, description: 'The product' })
  async createProduct(@Body() request: CreateProductRequest): Promise<ProductResponse> {
    return toProductResponse(await this.products.createProduct(request));
  }

  @Post(':productId/stock')
  @AdminOnly()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'restockProduct', summary: "Add units to a product's stock (admin)" })
  @ApiIdParam('productId')
  @ApiOkResponse({ type: ProductResponse, description: 'The product with its stock after the restock' })
  @ApiErrors(ProductNotFoundError, StockLimitExceededError)
  async restockProduct(@Param('productId', ParseIdPipe) productId: number, @Body() request: RestockRequest): Promise<ProductResponse> {
    return toProductResponse(await this.products.restock(productId, request.quantity));
  }

  @Get()
  @Public()
  @ApiTags('products')
  @ApiOperation({ operationId: 'listProducts', summary: 'Products with their stock, ordered by id: by page (page × size ≤ 10,000) or by cursor' })
  @ApiOkResponse({ type: ProductPageResponse, description: 'One page of products; nextCursor is null after the last product' })
  async listProducts(@Query() query: ListProductsQuery): Promise<ProductPageResponse> {
    if (query.cursor !== undefined) {
      return toProductPageResponse(await this.products.listProductsAfter(Number(query.cursor), query.size), null, query.size);
    }
    const page = query.page ?? 1;
    return toProductPageResponse(await this.products.listProducts(page, query.size), page, query.size);
  }

  // Declared before `:productId`: Express matches routes in declaration order, and `top` is no id.
  @Get('top')
  @Public()
  @ApiTags('ranking')
  @ApiOperation({
    operationId: 'getTopProducts',
    summary: 'Products with the most units in orders paid within the last `days` days, ties by lower id',
    description: 'Results may be up to RANKING_CACHE_TTL_SECONDS old. The window starts at the top of the hour `days × 24 h` ago.',
  })
  @ApiOkResponse({ type: TopProductsResponse, description: 'The top products, best first' })
  async getTopProducts(@Query() query: TopProductsQuery): Promise<TopProductsResponse> {
    return toTopProductsResponse(await this.ranking.getTopProducts(query.days, query.limit));
  }

  @Get(':productId')
  @Public()
  @ApiTags('products')
  @ApiOperation({ operationId: 'getProduct', summary: 'One product' })
  @ApiIdParam('productId')
  @ApiOkResponse({ type: ProductResponse, description: 'The product' })
  @ApiErrors(ProductNotFoundError)
  async getProduct(@Param('productId', ParseIdPipe) productId: number): Promise<ProductResponse> {
    return toProductResponse(await this.products.getProduct(productId));
  }
}
