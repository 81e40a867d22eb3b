import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { MAX_ERROR_DETAILS, ValidationFailedError } from '../errors/domain-error';

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) ? `${path}${message.slice(error.property.length)}` : message,
    );
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

const declaredFields = new WeakMap<object, Set<string>>();

/** The fields a DTO class declares: those with a class-validator decorator, as `whitelist` counts them. */
function fieldsOf(dto: object): Set<string> {
  let fields = declaredFields.get(dto);
  if (fields === undefined) {
    fields = new Set(getMetadataStorage().getTargetValidationMetadatas(dto as new () => object, '', true, false).map((rule) => rule.propertyName));
    declaredFields.set(dto, fields);
  }
  return fields;
}

/** The first unknown top-level fields, at most as many as an error lists. */
function unknownFields(value: object, dto: object): string[] {
  const declared = fieldsOf(dto);
  const unknown: string[] = [];
  // Object, String, …: no DTO to compare with (Nest validates no native type either).
  if (declared.size === 0) return unknown;
  for (const key of Object.keys(value)) {
    if (!declared.has(key) && unknown.push(key) === MAX_ERROR_DETAILS) break;
  }
  return unknown;
}

/**
 * Nest's pipe turns a `number` path or query parameter into Number(value) before the parameter's
 * own pipe sees it, so "1e3" would become 1000. Primitives are left as sent: ParseIdPipe and the
 * DTOs' own transforms parse them strictly.
 *
 * Unknown top-level fields are refused before class-transformer copies the body and class-validator
 * writes an error per field: a body of many unknown fields costs one pass over its keys.
 */
class StrictValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto = metadata.metatype;
    if ((metadata.type === 'body' || metadata.type === 'query') && dto !== undefined && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const unknown = unknownFields(value, dto);
      if (unknown.length > 0) {
        const details = unknown.map((field) => `property ${field} should not exist`);
        return Promise.reject(new ValidationFailedError(details[0], details));
      }
    }
    return super.transform(value, metadata);
  }

  protected override transformPrimitive(value: unknown): unknown {
    return value;
  }
}

/** Strict input: unknown fields rejected, no implicit type coercion, one message per field, the first failing rule of each. */
export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      return new ValidationFailedError(details[0] ?? 'invalid input', details);
    },
  });
}
