import { OperationObject, ResponseObject } from '@nestjs/swagger';
import { OrderNotFoundError } from '../order/order.errors';
import { OutOfStockError, ProductNotFoundError } from '../product/product.errors';
import { ValidationFailedError } from '../errors/domain-error';
import { addErrorResponses, ApiErrors } from './api-errors';

// @nestjs/swagger's metadata key for @ApiResponse (its constants are not exported).
const API_RESPONSE_METADATA = 'swagger/apiResponse';

describe(ApiErrors.name, () => {
  it('documents one response per status with one example per error class, as the class words it', () => {
    class Handlers {
      @ApiErrors(ProductNotFoundError, OrderNotFoundError, OutOfStockError)
      handle(): void {}
    }

    const responses = Reflect.getMetadata(API_RESPONSE_METADATA, Handlers.prototype.handle) as Record<string, { examples: object; description: string }>;

    expect(Object.keys(responses).sort()).toEqual(['404', '409']);
    expect(responses['404'].description).toBe('PRODUCT_NOT_FOUND, ORDER_NOT_FOUND');
    expect(responses['404'].examples).toEqual({
      PRODUCT_NOT_FOUND: { summary: 'PRODUCT_NOT_FOUND', value: { statusCode: 404, code: 'PRODUCT_NOT_FOUND', message: 'product 1 does not exist' } },
      ORDER_NOT_FOUND: { summary: 'ORDER_NOT_FOUND', value: { statusCode: 404, code: 'ORDER_NOT_FOUND', message: 'order 10 does not exist' } },
    });
    expect(responses['409'].examples).toEqual({
      OUT_OF_STOCK: { summary: 'OUT_OF_STOCK', value: { statusCode: 409, code: 'OUT_OF_STOCK', message: new OutOfStockError([1]).message } },
    });
  });
});

describe(addErrorResponses.name, () => {
  it('adds examples to a response the operation documents already, keeping its own', () => {
    const operation = {
      responses: { 400: { description: 'x', content: { 'application/json': { examples: { OWN: { summary: 'OWN', value: {} } } } } } },
    } as unknown as OperationObject;

    addErrorResponses(operation, ValidationFailedError);

    const examples = (operation.responses[400] as ResponseObject).content!['application/json'].examples!;
    expect(Object.keys(examples)).toEqual(['VALIDATION_FAILED', 'OWN']);
    expect(examples.VALIDATION_FAILED).toMatchObject({ value: { statusCode: 400, details: ['amount must not be less than 1'] } });
  });
});
