import { applyDecorators, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Request } from 'express';
import { ValidationFailedError } from '../errors/domain-error';
import { ApiErrors } from '../openapi/api-errors';
import { IdempotencyKeyInUseError, IdempotencyKeyReusedError } from './idempotency.errors';

const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
const VALID_KEY = /^[\x20-\x7E]{1,255}$/;

/** The header's values as received; undefined when absent (plain, non-idempotent request). */
export function parseIdempotencyKey(values: string[] | undefined): string | undefined {
  if (values === undefined) return undefined;
  if (values.length > 1) throw new ValidationFailedError(`${IDEMPOTENCY_KEY_HEADER} must be sent at most once`);
  if (!VALID_KEY.test(values[0])) throw new ValidationFailedError(`${IDEMPOTENCY_KEY_HEADER} must be 1-255 printable ASCII characters`);
  return values[0];
}

/** Handler parameter: the validated `Idempotency-Key` header, or undefined when it was not sent. */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext): string | undefined =>
  parseIdempotencyKey(context.switchToHttp().getRequest<Request>().headersDistinct[IDEMPOTENCY_KEY_HEADER.toLowerCase()]),
);

/** OpenAPI for an endpoint that honours `Idempotency-Key`: the header and its 409/422 answers. */
export function ApiIdempotencyKey(): MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: IDEMPOTENCY_KEY_HEADER,
      required: false,
      description:
        'Makes the request safe to retry: the same key with the same body returns the first response ' +
        '(a success, or a refusal the operation made such as 409 OUT_OF_STOCK) and does the work once. ' +
        'Scoped per user, kept at least 24 hours.',
      schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7E]+$' },
    }),
    ApiErrors(IdempotencyKeyInUseError, IdempotencyKeyReusedError),
  );
}
