import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, OperationObject, SwaggerModule } from '@nestjs/swagger';
import { ValidationFailedError } from '../errors/domain-error';
import {
  HeaderFieldsTooLargeError,
  InternalError,
  MalformedRequestError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  UnsupportedMediaTypeError,
} from '../errors/http-errors';
import { addErrorResponses, describeErrorResponses, enumerateErrorCodes } from './api-errors';
import { declareResponseHeaders } from './response-headers';
import { ADMIN_KEY_SCHEME, BEARER_SCHEME } from './security-schemes';

/** Serves Swagger UI at /docs and the document at /docs-json. */
export function setUpOpenApi(app: NestExpressApplication, apiPrefix: string): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Order service')
      .setDescription(
        'Balance, products, first-come coupons, orders, payments and top products. Money is integer won. ' +
          'User-scoped operations need a user\'s access token (Authorize → bearer); admin ones the X-Admin-Key.',
      )
      .setVersion('1.0')
      .setLicense('UNLICENSED (private)', 'https://docs.npmjs.com/cli/configuring-npm/package-json#license')
      .addServer('/', 'This server')
      // A shopper's journey first, then the operator's operations.
      .addTag('products', 'The catalogue')
      .addTag('balance', "A user's balance: charge it, look it up, its history")
      .addTag('coupons', 'First-come coupons: issue one, list those held')
      .addTag('orders', "Place an order (stock taken), look it up, a user's orders")
      .addTag('payments', 'Pay an order from the balance')
      .addTag('cancellations', 'Cancel an order: unpaid, its stock returns; paid, it is refunded')
      .addTag('ranking', 'Top products by units paid')
      .addTag('admin', 'Catalogue set-up and the outbox (X-Admin-Key)')
      .addTag('health', 'Liveness and readiness')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "A user's access token" }, BEARER_SCHEME)
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Admin-Key', description: 'Equals ADMIN_API_KEY' }, ADMIN_KEY_SCHEME)
      .build(),
    { autoTagControllers: false },
  );
  finishOperations(document, apiPrefix);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', swaggerOptions: { persistAuthorization: true } });
}

function finishOperations(document: OpenAPIObject, apiPrefix: string): void {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const operation of [item.get, item.post]) {
      if (!operation) continue;
      documentCommonErrors(operation, path.startsWith(`/${apiPrefix}/`));
      describeErrorResponses(operation);
      enumerateErrorCodes(operation);
      declareResponseHeaders(document, operation);
      // Public() documents `security: [{}]` (anyone may call); `[]` says the same in the form tools expect.
      if (operation.security?.length === 1 && Object.keys(operation.security[0]).length === 0) operation.security = [];
    }
  }
}

/** Answers any operation can give, documented once here instead of on every handler. */
function documentCommonErrors(operation: OperationObject, underApiPrefix: boolean): void {
  // Any request: a query field an object inherits (`?__proto__=1`) is refused by the JSON guard;
  // the HTTP parser refuses malformed requests and oversized headers before routing.
  addErrorResponses(operation, ValidationFailedError, MalformedRequestError, HeaderFieldsTooLargeError);
  if (operation.requestBody) addErrorResponses(operation, PayloadTooLargeError, UnsupportedMediaTypeError);
  if (underApiPrefix) addErrorResponses(operation, InternalError, ServiceUnavailableError);
}
