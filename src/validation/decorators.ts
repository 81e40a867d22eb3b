import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** A required integer field in [min, max], documented in the OpenAPI schema. */
export function IntField(min: number, max: number, options: ApiPropertyOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: 'integer', minimum: min, maximum: max, ...options } as ApiPropertyOptions),
    IsInt(),
    Min(min),
    Max(max),
  );
}

/** An id field: a positive safe integer. */
export function IdField(options: ApiPropertyOptions = {}): PropertyDecorator {
  return IntField(1, Number.MAX_SAFE_INTEGER, options);
}

/**
 * An optional integer query parameter. Query values arrive as strings, so digits-only strings
 * become numbers and anything else stays a string and fails `IsInt` with the field's name.
 */
export function IntQuery(min: number, max: number, defaultValue: number): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: 'integer', minimum: min, maximum: max, default: defaultValue, required: false }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value)),
    IsOptional(),
    IsInt(),
    Min(min),
    Max(max),
  );
}

/** The `cursor` query parameter of a paged list: a `nextCursor` returned by the previous page. */
export function CursorQuery(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description: 'nextCursor of the previous page' }),
    IsOptional(),
    Matches(/^[1-9]\d{0,15}$/, { message: 'cursor must be a nextCursor returned by a previous page' }),
  );
}
