import { ArgumentsHost, Logger } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { QueryLogger } from '../database/query-log';
import { GlobalExceptionFilter } from './global-exception.filter';

const SECRET = 'Kim Secret-Name 010-1234-5678';

function failedInsert(errno: number, code: string): QueryFailedError {
  const driverError = Object.assign(new Error(`Duplicate entry '${SECRET}' for key 'uq_users_name'`), {
    code,
    errno,
    sql: `INSERT INTO users (name) VALUES ('${SECRET}')`,
  });
  return new QueryFailedError('INSERT INTO users (name) VALUES (?)', [SECRET], driverError);
}

function hostFor(json: jest.Mock): ArgumentsHost {
  const response = { headersSent: false, locals: {}, status: () => ({ json }) };
  const request = { id: 'req-1', url: '/api/v1/users', originalUrl: '/api/v1/users', method: 'POST' };
  return { switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }) } as unknown as ArgumentsHost;
}

describe('failed-query log lines carry no parameter values', () => {
  let logged: unknown[][];
  const capture = (...args: unknown[]) => void logged.push(args);

  beforeEach(() => {
    logged = [];
    jest.spyOn(Logger.prototype, 'error').mockImplementation(capture);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(capture);
  });

  afterEach(() => jest.restoreAllMocks());

  it.each([
    ['an unexpected failed query (500)', 1062, 500],
    ['a statement past its time limit (503)', 1969, 503],
  ])('%s is logged with its statement shape and driver errno, not the values', (_case, errno, status) => {
    const json = jest.fn();
    new GlobalExceptionFilter().catch(failedInsert(errno, errno === 1062 ? 'ER_DUP_ENTRY' : 'ER_STATEMENT_TIMEOUT'), hostFor(json));

    expect(json.mock.calls[0][0].statusCode).toBe(status);
    expect(logged).toHaveLength(1);
    const line = JSON.stringify(logged[0]);
    expect(line).not.toContain('Secret-Name');
    expect(line).toContain('INSERT INTO users (name) VALUES (?)');
    expect(line).toContain(String(errno));
  });

  it('a slow statement is logged by its shape, without parameters or inlined literals', () => {
    new QueryLogger().logQuerySlow(6_000, `SELECT id FROM users WHERE name = ? OR name = '${SECRET}'`);
    const line = JSON.stringify(logged);
    expect(line).not.toContain('Secret-Name');
    expect(line).toContain('SELECT id FROM users WHERE name = ? OR name = ?');
  });
});
