import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidationFailedError } from '../errors/domain-error';

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) ? `${path}${message.slice(error.property.length)}` : message,
    );
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/**
 * Nest's pipe turns a `number` path or query parameter into Number(value) before the parameter's
 * own pipe sees it, so "1e3" would become 1000. Primitives are left as sent: ParseIdPipe and the
 * DTOs' own transforms parse them strictly.
 */
class StrictValidationPipe extends ValidationPipe {
  protected override transformPrimitive(value: unknown): unknown {
    return value;
  }
}

/** Strict input: unknown fields rejected, no implicit type coercion, one message per field. */
export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      return new ValidationFailedError(details[0] ?? 'invalid input', details);
    },
  });
}
