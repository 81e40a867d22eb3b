import type { DataSource, QueryRunner, Logger as TypeOrmLogger } from 'typeorm';

/**
 * Hands every statement the data source runs to `onQuery` (with its parameters and the query
 * runner, i.e. the transaction, that ran it) until the returned function is called.
 */
export function logStatements(dataSource: DataSource, onQuery: (sql: string, parameters: unknown, queryRunner?: QueryRunner) => void): () => void {
  const original = dataSource.logger;
  const capture: TypeOrmLogger = {
    logQuery: (query, parameters, queryRunner) => onQuery(query, parameters, queryRunner),
    logQueryError: () => undefined,
    logQuerySlow: () => undefined,
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: () => undefined,
  };
  dataSource.setOptions({ logger: capture });
  return () => dataSource.setOptions({ logger: original });
}
