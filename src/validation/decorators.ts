import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min, ValidateBy } from 'class-validator';

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

const MAX_NAME_CODE_POINTS = 100;
// C0 and C1 control characters (NUL, tab, newline, ESC, DEL, …): never part of a display name.
const CONTROL_CHARACTER = /\p{Cc}/u;
// In a `u` regex a surrogate matches only when it is not half of a pair.
const LONE_SURROGATE = /\p{Cs}/u;
// White space and invisible characters (U+200B, U+FEFF, variation selectors, …): a name of only these is blank.
const BLANK = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}]*$/u;

/**
 * A name (user, product, coupon): 1-100 Unicode code points, as a utf8mb4 VARCHAR(100) counts
 * them (class-validator's Length skips variation selectors, which the database counts), not
 * blank (only white space or invisible characters), no control characters and no lone surrogates; stored and returned exactly as sent.
 */
export function NameField(options: ApiPropertyOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ minLength: 1, maxLength: MAX_NAME_CODE_POINTS, description: `1-${MAX_NAME_CODE_POINTS} Unicode code points, no control characters`, ...options } as ApiPropertyOptions),
    IsString(),
    ValidateBy({
      name: 'nameField',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || nameProblem(value) === undefined,
        defaultMessage: (args) => `${args?.property ?? 'name'} ${nameProblem(String(args?.value))}`,
      },
    }),
  );
}

/** Why `name` is not a valid name, or undefined when it is. */
function nameProblem(name: string): string | undefined {
  const codePoints = [...name].length;
  if (codePoints < 1 || codePoints > MAX_NAME_CODE_POINTS) return `must be 1-${MAX_NAME_CODE_POINTS} characters (Unicode code points)`;
  if (BLANK.test(name)) return 'must not be blank';
  if (CONTROL_CHARACTER.test(name)) return 'must not contain control characters';
  if (LONE_SURROGATE.test(name)) return 'must be well-formed Unicode (no lone surrogates)';
  return undefined;
}
