import { INestApplication, Logger } from '@nestjs/common';
import type { Server } from 'node:http';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * SIGINT/SIGTERM stop the service gracefully, saying so: the HTTP server stops accepting
 * connections and lets the requests in flight finish, the background loops stop, the database
 * pool closes, then the process exits 0. A second signal while draining exits at once (1).
 */
export function stopOnSignals(app: INestApplication, exit: (code: number) => void = (code) => process.exit(code)): void {
  const logger = new Logger('Shutdown');
  const server = app.getHttpServer() as Server;
  let stopping = false;

  async function stop(signal: NodeJS.Signals): Promise<void> {
    if (stopping) {
      logger.warn(`${signal} received again while draining: exiting now`);
      return exit(1);
    }
    stopping = true;
    const connections = await new Promise<number>((resolve) => server.getConnections((_error, count) => resolve(count)));
    logger.log(`${signal} received: draining (no new connections; ${connections} open connection(s) finish their requests)`);
    server.once('close', () => logger.log('HTTP server closed: every request in flight has been answered'));
    const startedAt = Date.now();
    try {
      await app.close();
      logger.log(`stopped in ${Date.now() - startedAt} ms: background jobs stopped, database pool closed`);
      exit(0);
    } catch (error) {
      logger.error({ err: error }, 'failed while stopping');
      exit(1);
    }
  }

  for (const signal of STOP_SIGNALS) process.on(signal, (received) => void stop(received));
}
