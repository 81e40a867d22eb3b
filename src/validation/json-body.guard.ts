import type { NextFunction, Request, Response } from 'express';
import { ValidationFailedError } from '../errors/domain-error';
import { UnsupportedMediaTypeError } from '../errors/http-errors';

/** What one request may hold (contract, Conventions): anything more is refused before it is walked. */
export const REQUEST_LIMITS = { bodyBytes: 64 * 1024, bodyDepth: 16, bodyValues: 1_000, queryParameters: 20 } as const;

/**
 * Before the body is read: too many query parameters (400) or a compressed body (415) are refused
 * without parsing either. The refusal skips the body parser and is answered after authentication
 * (deferBodyError), so it costs what a plain 401 costs.
 */
export function guardRawRequest(request: Request, _response: Response, next: NextFunction): void {
  const encoding = request.headers['content-encoding'];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
    return next(new UnsupportedMediaTypeError(`bodies are sent uncompressed, not with Content-Encoding ${encoding}`));
  }
  if (queryParameterCount(request.url) > REQUEST_LIMITS.queryParameters) {
    return next(new ValidationFailedError(`a request has at most ${REQUEST_LIMITS.queryParameters} query parameters`));
  }
  next();
}

/** The query string's non-empty `&`-separated parameters, counted without decoding them. */
function queryParameterCount(url: string): number {
  const start = url.indexOf('?');
  return start === -1 ? 0 : url.slice(start + 1).split('&').filter((parameter) => parameter !== '').length;
}

/**
 * Every request body of this API is a JSON object of shallow depth and few values, sent as
 * application/json. Anything else is refused here, before class-transformer walks it recursively
 * (a body nested 20,000 levels deep would overflow the stack there). Field names an object
 * inherits (`__proto__`, `toString`, …) are refused here too, in the body and the query string:
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
  next(checkTree(body));
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

interface Pending {
  value: object;
  depth: number;
  path: string;
}

/**
 * One pass over the body without recursion, stopping at the first limit: more values than the
 * limit (counted per container before its children are visited, so a wide array costs one step),
 * too deep, or a field name an object inherits.
 */
function checkTree(root: object): ValidationFailedError | undefined {
  const pending: Pending[] = [{ value: root, depth: 1, path: '' }];
  let values = 0;
  while (pending.length > 0) {
    const { value, depth, path } = pending.pop()!;
    if (depth > REQUEST_LIMITS.bodyDepth) return new ValidationFailedError(`body nests deeper than ${REQUEST_LIMITS.bodyDepth} levels`);
    const keys = Array.isArray(value) ? undefined : Object.keys(value);
    values += keys === undefined ? (value as unknown[]).length : keys.length;
    if (values > REQUEST_LIMITS.bodyValues) return new ValidationFailedError(`body holds more than ${REQUEST_LIMITS.bodyValues} values`);
    if (keys === undefined) {
      (value as unknown[]).forEach((child, index) => {
        if (typeof child === 'object' && child !== null) pending.push({ value: child, depth: depth + 1, path: join(path, String(index)) });
      });
      continue;
    }
    for (const key of keys) {
      if (isInheritedName(key)) return unknownField(join(path, key));
      const child: unknown = (value as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) pending.push({ value: child, depth: depth + 1, path: join(path, key) });
    }
  }
  return undefined;
}

/** A field's path as the validation messages name it: `items.0.productId`. */
function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
