import { HttpStatus } from '@nestjs/common';
import { DomainError } from './domain-error';

// The answers any route can give, raised by the HTTP layer rather than by a use case.

export class RouteNotFoundError extends DomainError {
  static example = () => new RouteNotFoundError('GET', '/api/v1/nothing-here');
  readonly code = 'NOT_FOUND';
  readonly status = HttpStatus.NOT_FOUND;

  constructor(method: string, path: string) {
    super(`no route for ${method} ${path}`);
  }
}

/** A request Node's HTTP parser refused, such as a control character in a header. */
export class MalformedRequestError extends DomainError {
  static example = () => new MalformedRequestError();
  readonly code = 'BAD_REQUEST';
  readonly status = HttpStatus.BAD_REQUEST;

  constructor() {
    super('the HTTP request is malformed');
  }
}

export class PayloadTooLargeError extends DomainError {
  static example = () => new PayloadTooLargeError();
  readonly code = 'PAYLOAD_TOO_LARGE';
  readonly status = HttpStatus.PAYLOAD_TOO_LARGE;

  constructor() {
    super('request entity too large');
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  static example = () => new UnsupportedMediaTypeError('the body must be sent as application/json, not text/plain');
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
  readonly status = HttpStatus.UNSUPPORTED_MEDIA_TYPE;
}

export class HeaderFieldsTooLargeError extends DomainError {
  static example = () => new HeaderFieldsTooLargeError();
  readonly code = 'REQUEST_HEADER_FIELDS_TOO_LARGE';
  readonly status = 431; // HttpStatus has no name for it

  constructor() {
    super('the request headers are too large');
  }
}

export class RequestTimeoutError extends DomainError {
  static example = () => new RequestTimeoutError();
  readonly code = 'REQUEST_TIMEOUT';
  readonly status = HttpStatus.REQUEST_TIMEOUT;

  constructor() {
    super('the request was not received in time');
  }
}

export class InternalError extends DomainError {
  static example = () => new InternalError();
  readonly code = 'INTERNAL_ERROR';
  readonly status = HttpStatus.INTERNAL_SERVER_ERROR;

  constructor() {
    super('an internal error occurred');
  }
}

/** The database cannot be reached, or a statement ran past its time limit. */
export class ServiceUnavailableError extends DomainError {
  static example = () => new ServiceUnavailableError();
  readonly code = 'SERVICE_UNAVAILABLE';
  readonly status = HttpStatus.SERVICE_UNAVAILABLE;

  constructor() {
    super('the service is temporarily unavailable');
  }
}
