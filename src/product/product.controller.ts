import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../admin/admin-key.guard';
import { Public } from '../auth/access.decorators';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { ParseIdPipe } from '../validation/parse-id.pipe';
import { CreateProductRequest, ListProductsQuery, ProductPageResponse, ProductResponse, toProductResponse } from './dto/product.dto';
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
  @Public()
  @ApiOperation({ operationId: 'listProducts', summary: 'Products with their stock, ordered by id' })
  @ApiOkResponse({ type: ProductPageResponse })
  async listProducts(@Query() query: ListProductsQuery): Promise<ProductPageResponse> {
    const [products, total] = await this.products.listProducts(query.page, query.size);
    return { items: products.map(toProductResponse), page: query.page, size: query.size, total };
  }

  @Get(':productId')
  @Public()
  @ApiOperation({ operationId: 'getProduct', summary: 'One product' })
  @ApiOkResponse({ type: ProductResponse })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'PRODUCT_NOT_FOUND' })
  async getProduct(@Param('productId', ParseIdPipe) productId: number): Promise<ProductResponse> {
    return toProductResponse(await this.products.getProduct(productId));
  }
}
