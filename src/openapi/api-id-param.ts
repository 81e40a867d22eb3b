import { ApiParam } from '@nestjs/swagger';

/** A path id (validated by ParseIdPipe): a positive integer; the example is the first demo row. */
export function ApiIdParam(name: string): MethodDecorator & ClassDecorator {
  return ApiParam({ name, schema: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, example: 1 } });
}
