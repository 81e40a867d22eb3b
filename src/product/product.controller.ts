import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../admin/admin-key.guard';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { ParseIdPipe } from '../validation/parse-id.pipe';
import { CreateProductRequest, ListProductsQuery, ProductPageResponse, ProductResponse, toProductPageResponse, toProductResponse } from './dto/product.dto';
import { ProductService } from './product.service';

@ApiTags('products')
@Controller('products')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
export class ProductController {
  constructor(private readonly products: ProductService) {}

  @Post()
  @AdminOnly()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ operationId: 'createProduct', summary: 'Create a product (admin)' })
  @ApiCreatedResponse({ type: ProductResponse })
  async createProduct(@Body() request: CreateProductRequest): Promise<ProductResponse> {
    return toProductResponse(await this.products.createProduct(request));
  }

  @Get()
  @ApiOperation({ operationId: 'listProducts', summary: 'Products with their stock, ordered by id: by page (page × size ≤ 10,000) or by cursor' })
  @ApiOkResponse({ type: ProductPageResponse })
  async listProducts(@Query() query: ListProductsQuery): Promise<ProductPageResponse> {
    if (query.cursor !== undefined) {
      return toProductPageResponse(await this.products.listProductsAfter(Number(query.cursor), query.size), null, query.size);
    }
    const page = query.page ?? 1;
    return toProductPageResponse(await this.products.listProducts(page, query.size), page, query.size);
  }

  @Get(':productId')
  @ApiOperation({ operationId: 'getProduct', summary: 'One product' })
  @ApiOkResponse({ type: ProductResponse })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'PRODUCT_NOT_FOUND' })
  async getProduct(@Param('productId', ParseIdPipe) productId: number): Promise<ProductResponse> {
    return toProductResponse(await this.products.getProduct(productId));
  }
}
