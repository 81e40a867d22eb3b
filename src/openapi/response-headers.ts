import type { HeaderObject, OpenAPIObject, OperationObject, ResponseObject } from '@nestjs/swagger';
import { BEARER_SCHEME } from './security-schemes';

const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });

/** The response headers clients can rely on, declared once under components.headers. */
const HEADERS: Record<string, HeaderObject> = {
  'X-Request-Id': {
    description:
      'The request id (the caller’s X-Request-Id when it is a usable one, else generated); the logs carry it. Absent only on the answers to requests the HTTP parser refuses before routing (400 BAD_REQUEST, 408, 431).',
    schema: { type: 'string' },
  },
  'Retry-After': { description: 'Seconds until the rate limit lets this user in again.', required: true, schema: { type: 'integer', minimum: 1 } },
  'WWW-Authenticate': {
    description: '`Bearer` (no token), or `Bearer error="invalid_token"` (a token that was refused).',
    required: true,
    schema: { type: 'string' },
  },
};

/** Adds the components and, to every response of the operation, the headers it carries. */
export function declareResponseHeaders(document: OpenAPIObject, operation: OperationObject): void {
  document.components = { ...document.components, headers: { ...document.components?.headers, ...HEADERS } };
  const bearer = operation.security?.some((requirement) => BEARER_SCHEME in requirement) ?? false;
  for (const [status, response] of Object.entries(operation.responses as Record<string, ResponseObject>)) {
    const headers: Record<string, ReturnType<typeof headerRef>> = { 'X-Request-Id': headerRef('X-Request-Id') };
    if (status === '429') headers['Retry-After'] = headerRef('Retry-After');
    if (status === '401' && bearer) headers['WWW-Authenticate'] = headerRef('WWW-Authenticate');
    response.headers = { ...response.headers, ...headers };
  }
}
