import { createPool, PoolConnection } from 'mysql2/promise';
import type { DatabaseConfig } from '../../src/config/app-config';

export type Transaction = (connection: PoolConnection, worker: number, iteration: number) => Promise<void>;

export interface BaselineResult {
  rps: number;
  poolSize: number;
}

/**
 * The database's own limit for a transaction: run it from `poolSize` concurrent workers over
 * mysql2 directly (no HTTP, no framework) for a fixed time, and keep the best pool size.
 */
export async function measureDatabaseLimit(
  database: DatabaseConfig,
  transaction: Transaction,
  { poolSizes = [8, 16, 32, 64], durationMs = 4_000 } = {},
): Promise<BaselineResult> {
  let best: BaselineResult = { rps: 0, poolSize: 0 };
  let workerOffset = 0;
  for (const poolSize of poolSizes) {
    const pool = createPool({ host: database.host, port: database.port, user: database.user, password: database.password, database: database.name, connectionLimit: poolSize });
    let completed = 0;
    const deadline = Date.now() + durationMs;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: poolSize }, async (_, i) => {
        const worker = workerOffset + i;
        for (let iteration = 0; Date.now() < deadline; iteration++) {
          const connection = await pool.getConnection();
          try {
            await transaction(connection, worker, iteration);
            completed++;
          } catch {
            await connection.query('ROLLBACK');
          } finally {
            connection.release();
          }
        }
      }),
    );
    const rps = Math.round(completed / ((Date.now() - started) / 1_000));
    if (rps > best.rps) best = { rps, poolSize };
    workerOffset += poolSize;
    await pool.end();
  }
  return best;
}
