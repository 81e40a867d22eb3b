import type { NextFunction, Request, Response } from 'express';
import { ValidationFailedError } from '../errors/domain-error';

const MAX_DEPTH = 16;

/**
 * Every request body of this API is a JSON object of shallow depth. Anything else is refused here,
 * before class-transformer walks it recursively (a body nested 20,000 levels deep would overflow
 * the stack there).
 */
export function guardJsonBody(request: Request, _response: Response, next: NextFunction): void {
  const body: unknown = request.body;
  if (body === undefined) return next();
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return next(new ValidationFailedError('body must be a JSON object'));
  }
  if (depthExceeds(body, MAX_DEPTH)) return next(new ValidationFailedError(`body nests deeper than ${MAX_DEPTH} levels`));
  next();
}

function depthExceeds(root: object, maxDepth: number): boolean {
  const pending: Array<[unknown, number]> = [[root, 1]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > maxDepth) return true;
    for (const child of Object.values(value)) pending.push([child, depth + 1]);
  }
  return false;
}
