import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { MysqlError, mysqlErrno } from '../database/mysql-errors';
import { loggableError } from '../database/query-log';
import { DomainError } from './domain-error';
import { InternalError, ServiceUnavailableError } from './http-errors';
import { ErrorResponseDto } from './error-response.dto';

// Driver error codes meaning the database cannot be reached right now.
const DATABASE_UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'POOL_CLOSED',
  'POOL_ACQUIRE_TIMEOUT',
  // With read replicas: the primary is skipped for a moment after a failed connection (database-options.ts).
  'POOL_NONEONLINE',
  // Past DB_QUERY_TIMEOUT_MS: MySQL's max_execution_time (MariaDB's max_statement_time has errno 1969, below).
  'ER_QUERY_TIMEOUT',
]);

const HTTP_CODES: Partial<Record<number, string>> = {
  [HttpStatus.BAD_REQUEST]: 'VALIDATION_FAILED',
  [HttpStatus.UNAUTHORIZED]: 'UNAUTHORIZED',
  [HttpStatus.FORBIDDEN]: 'FORBIDDEN',
  [HttpStatus.NOT_FOUND]: 'NOT_FOUND',
  [HttpStatus.METHOD_NOT_ALLOWED]: 'METHOD_NOT_ALLOWED',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'PAYLOAD_TOO_LARGE',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'UNSUPPORTED_MEDIA_TYPE',
  [HttpStatus.SERVICE_UNAVAILABLE]: 'SERVICE_UNAVAILABLE',
};

/** Every error leaves the service in the contract's shape; nothing internal leaks. */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception, request);
    body.requestId = request.id === undefined ? undefined : String(request.id);
    response.locals.errorCode = body.code;
    if (response.headersSent) return;
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, request: Request): ErrorResponseDto {
    if (exception instanceof DomainError) return exception.toBody();
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = HTTP_CODES[status];
      if (code) return { statusCode: status, code, message: this.httpMessage(exception, request) };
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn({ err: loggableError(exception), requestId: request.id }, 'database unavailable');
      return new ServiceUnavailableError().toBody();
    }
    this.logger.error({ err: loggableError(exception), requestId: request.id, path: request.url }, 'unhandled error');
    return new InternalError().toBody();
  }

  private httpMessage(exception: HttpException, request: Request): string {
    if (exception.getStatus() === HttpStatus.NOT_FOUND) return `no route for ${request.method} ${request.originalUrl.split('?')[0]}`;
    // Express's body parser fails with a SyntaxError, which Nest wraps in a 400.
    if (exception.cause instanceof SyntaxError) return `body is not valid JSON: ${exception.cause.message}`;
    const response = exception.getResponse();
    const message = typeof response === 'object' && response !== null && 'message' in response ? response.message : undefined;
    if (Array.isArray(message)) return message.join('; ');
    return typeof message === 'string' ? message : exception.message;
  }
}

function isDatabaseUnavailable(exception: unknown): boolean {
  const error = exception as { code?: string; driverError?: { code?: string; errno?: number }; message?: string } | undefined;
  const code = error?.driverError?.code ?? error?.code;
  if (code && DATABASE_UNAVAILABLE_CODES.has(code)) return true;
  if (mysqlErrno(exception) === MysqlError.STATEMENT_TIMEOUT) return true;
  return /Pool is closed|connect ECONNREFUSED|Connection lost|connection is in closed state/i.test(error?.message ?? '');
}

