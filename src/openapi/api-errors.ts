import { applyDecorators } from '@nestjs/common';
import { ApiResponse, OperationObject, ResponseObject } from '@nestjs/swagger';
import { ErrorResponseDto } from '../errors/error-response.dto';

/** Every error code the API answers with, its status, and a message as the service words it (Swagger UI examples). */
export const ERROR_EXAMPLES = {
  VALIDATION_FAILED: { status: 400, message: 'amount must not be less than 1' },
  BAD_REQUEST: { status: 400, message: 'the HTTP request is malformed' },
  UNAUTHENTICATED: { status: 401, message: 'an access token is required: Authorization: Bearer <token>' },
  UNAUTHORIZED: { status: 401, message: 'a valid X-Admin-Key header is required' },
  FORBIDDEN: { status: 403, message: 'the access token belongs to another user' },
  ORDER_NOT_OWNED: { status: 403, message: 'order 10 does not belong to user 1' },
  USER_NOT_FOUND: { status: 404, message: 'user 1 does not exist' },
  PRODUCT_NOT_FOUND: { status: 404, message: 'product 1 does not exist' },
  COUPON_NOT_FOUND: { status: 404, message: 'coupon 1 does not exist' },
  ORDER_NOT_FOUND: { status: 404, message: 'order 10 does not exist' },
  OUTBOX_EVENT_NOT_FOUND: { status: 404, message: 'outbox event 0b6f6f0e-8d0a-4f43-9a57-2f4c1b8e9d21 does not exist' },
  BALANCE_LIMIT_EXCEEDED: { status: 409, message: 'charging 10000 to a balance of 9995000 would pass the limit of 10000000' },
  INSUFFICIENT_BALANCE: { status: 409, message: 'balance 3000 is less than the amount 84000' },
  OUT_OF_STOCK: { status: 409, message: 'not enough stock for product 1' },
  COUPON_NOT_USABLE: { status: 409, message: 'coupon 1 cannot be used by user 1: it is not available' },
  COUPON_SOLD_OUT: { status: 409, message: 'coupon 1 is sold out' },
  COUPON_ALREADY_ISSUED: { status: 409, message: 'user 1 already holds coupon 1' },
  TOO_MANY_PENDING_ORDERS: { status: 409, message: 'the user already has 5 unpaid orders: pay or let one expire first' },
  ORDER_NOT_PAYABLE: { status: 409, message: 'order 10 is PAID and cannot be paid' },
  IDEMPOTENCY_KEY_IN_USE: { status: 409, message: 'a request with this Idempotency-Key is still being processed; retry later' },
  OUTBOX_EVENT_NOT_DEAD: { status: 409, message: 'outbox event 0b6f6f0e-8d0a-4f43-9a57-2f4c1b8e9d21 is SENT; only a DEAD event can be retried' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'request entity too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'the body must be sent as application/json, not text/plain' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, message: 'this Idempotency-Key was already used with a different request' },
  RATE_LIMITED: { status: 429, message: 'more than 20 requests per second for this user; retry later' },
  REQUEST_HEADER_FIELDS_TOO_LARGE: { status: 431, message: 'the request headers are too large' },
  INTERNAL_ERROR: { status: 500, message: 'an internal error occurred' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'the service is temporarily unavailable' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_EXAMPLES;
type ErrorStatus = (typeof ERROR_EXAMPLES)[ErrorCode]['status'];
type CodeOf<S extends ErrorStatus> = { [C in ErrorCode]: (typeof ERROR_EXAMPLES)[C]['status'] extends S ? C : never }[ErrorCode];

/** The error codes an operation answers with, by status: `{ 404: ['USER_NOT_FOUND'], 409: [...] }`. */
export type ErrorCodesByStatus = { [S in ErrorStatus]?: ReadonlyArray<CodeOf<S>> };

/**
 * Documents an operation's error responses, one example per code. The answers every operation
 * can give (400, 431, 413/415 with a body, 500/503) are added to the document in one place,
 * `documentCommonErrors`. Several ApiErrors on one handler add up; on a class they apply to
 * every handler that does not document the same status itself.
 */
export function ApiErrors(codesByStatus: ErrorCodesByStatus): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...Object.entries(codesByStatus).map(([status, codes]) =>
      ApiResponse({ status: Number(status), type: ErrorResponseDto, description: codes.join(', '), examples: errorExamples(codes) }),
    ),
  );
}

/** Adds the codes' examples to the operation's response for their status, creating the response if needed. */
export function addErrorResponse(operation: OperationObject, status: ErrorStatus, codes: ReadonlyArray<ErrorCode>): void {
  const response = (operation.responses[status] ??= {
    description: '',
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${ErrorResponseDto.name}` } } },
  }) as ResponseObject;
  const media = response.content!['application/json'];
  media.examples = { ...errorExamples(codes), ...media.examples };
}

/** Each error response described by its codes (several ApiErrors for one status leave joined descriptions). */
export function describeErrorResponses(operation: OperationObject): void {
  for (const [status, response] of Object.entries(operation.responses as Record<string, ResponseObject>)) {
    const examples = response.content?.['application/json']?.examples;
    if (Number(status) >= 400 && examples) response.description = Object.keys(examples).join(', ');
  }
}

function errorExamples(codes: ReadonlyArray<ErrorCode>): Record<string, { summary: string; value: ErrorResponseDto }> {
  return Object.fromEntries(
    codes.map((code) => {
      const { status, message } = ERROR_EXAMPLES[code];
      const value: ErrorResponseDto = { statusCode: status, code, message };
      if (code === 'VALIDATION_FAILED') value.details = [message];
      return [code, { summary: code, value }];
    }),
  );
}
