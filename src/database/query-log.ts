import { Logger } from '@nestjs/common';
import { Logger as TypeOrmLogger, QueryFailedError } from 'typeorm';

const MAX_SHAPE_LENGTH = 300;

/**
 * A statement as it may be logged: its SQL text with any quoted literal replaced by `?`, whitespace
 * collapsed, cut at 300 characters. Values travel as parameters and are never part of it: they are
 * user input (names, amounts), and so is the driver's message for some errors ("Duplicate entry 'kim'").
 */
function statementShape(sql: string): string {
  const shape = sql.replace(/'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.)*"/g, '?').replace(/\s+/g, ' ').trim();
  return shape.length > MAX_SHAPE_LENGTH ? `${shape.slice(0, MAX_SHAPE_LENGTH)}…` : shape;
}

/**
 * What of an error goes into a log line. A failed query becomes its driver code, errno and
 * statement shape; its parameters, the driver's message and its SQL with values filled in stay out.
 */
export function loggableError(error: unknown): unknown {
  if (!(error instanceof QueryFailedError)) return error;
  const driverError = error.driverError as { code?: string; errno?: number } | undefined;
  return { type: 'QueryFailedError', code: driverError?.code, errno: driverError?.errno, statement: statementShape(error.query) };
}

/** TypeORM's logger: slow statements and migrations through the app's logger, without parameter values. */
export class QueryLogger implements TypeOrmLogger {
  private readonly logger = new Logger('Database');

  logQuery(): void {}

  /** Failed queries are logged where they are handled (the exception filter, the jobs), with loggableError. */
  logQueryError(): void {}

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ statement: statementShape(query), ms: time }, 'slow statement');
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log(message);
  }

  /** TypeORM's own notes ("All classes found using provided glob pattern …") are noise; warnings are not. */
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(message);
  }
}
