import type { NextFunction, Request, Response } from 'express';
import { ValidationFailedError } from '../errors/domain-error';
import { UnsupportedMediaTypeError } from '../errors/http-errors';

const MAX_DEPTH = 16;

/**
 * Every request body of this API is a JSON object of shallow depth, sent as application/json.
 * Anything else is refused here, before class-transformer walks it recursively (a body nested
 * 20,000 levels deep would overflow the stack there). Field names an object inherits
 * (`__proto__`, `toString`, …) are refused here too, in the body and the query string:
 * class-transformer silently drops them, so the validation pipe would never see them.
 */
export function guardJsonBody(request: Request, _response: Response, next: NextFunction): void {
  const inheritedQueryName = Object.keys(request.query).find(isInheritedName);
  if (inheritedQueryName !== undefined) return next(unknownField(inheritedQueryName));
  if (hasBody(request) && !request.is('application/json')) {
    const sent = request.headers['content-type'];
    return next(new UnsupportedMediaTypeError(`the body must be sent as application/json${sent ? `, not ${sent}` : ''}`));
  }
  const body: unknown = request.body;
  if (body === undefined) return next();
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return next(new ValidationFailedError('body must be a JSON object'));
  }
  const problem = checkTree(body);
  next(problem);
}

/** A body sent: any chunked body, or a Content-Length other than 0 (an empty POST has none). */
function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** `__proto__`, `constructor`, `toString`, … and `prototype`: names a plain object or a class has without declaring them. */
function isInheritedName(name: string): boolean {
  return name in Object.prototype || name === 'prototype';
}

function unknownField(path: string): ValidationFailedError {
  const message = `property ${path} should not exist`;
  return new ValidationFailedError(message, [message]);
}

/** Walks the body without recursion: too deep, or a field name an object inherits, is refused. */
function checkTree(root: object): ValidationFailedError | undefined {
  const pending: Array<[unknown, number, string]> = [[root, 1, '']];
  while (pending.length > 0) {
    const [value, depth, path] = pending.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_DEPTH) return new ValidationFailedError(`body nests deeper than ${MAX_DEPTH} levels`);
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      if (!Array.isArray(value) && isInheritedName(key)) return unknownField(childPath);
      pending.push([child, depth + 1, childPath]);
    }
  }
  return undefined;
}
