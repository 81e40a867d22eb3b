import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { MetricsService } from '../metrics/metrics.service';
import type { DomainError } from './domain-error';
import { ErrorResponseDto } from './error-response.dto';
import { HeaderFieldsTooLargeError, MalformedRequestError, RequestTimeoutError } from './http-errors';

/**
 * Node's HTTP parser refuses some requests before Express sees them (headers too large, a control
 * character in a header, a malformed request line) and would answer with a bare status line.
 * Installed as the server's `clientError` listener, this answers them with the contract's error
 * body instead, then closes the connection, as Node's own handler does.
 */
export function answerClientErrors(logger: Logger, metrics: MetricsService) {
  return (error: Error & { code?: string }, socket: Duplex): void => {
    // The client went away or the connection is already half gone: there is no one to answer.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const body = answerClientError(error.code, socket);
    // Never reached Express, so the access log and the request metric are written here.
    logger.warn({ res: { statusCode: body.statusCode }, code: body.code, parserError: error.code }, 'request refused by the HTTP parser');
    metrics.httpRequestDuration.observe({ method: 'unknown', route: 'unmatched', status_code: body.statusCode }, 0);
  };
}

function answerClientError(code: string | undefined, socket: Duplex): ErrorResponseDto {
  const body = refusalFor(code).toBody();
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${body.statusCode} ${STATUS_CODES[body.statusCode]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      'X-Content-Type-Options: nosniff\r\n' +
      `Content-Length: ${Buffer.byteLength(json)}\r\n` +
      'Connection: close\r\n\r\n' +
      json,
  );
  return body;
}

function refusalFor(code: string | undefined): DomainError {
  if (code === 'HPE_HEADER_OVERFLOW') return new HeaderFieldsTooLargeError();
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return new RequestTimeoutError();
  return new MalformedRequestError();
}
