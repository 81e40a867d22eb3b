import { INestApplication, Logger } from '@nestjs/common';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * SIGINT/SIGTERM stop the service gracefully, saying so: the HTTP server stops accepting
 * connections and lets the requests in flight finish, then the background loops stop and the
 * database pool closes, and the process exits 0. A second signal while draining exits at once (1).
 */
export function stopOnSignals(app: INestApplication, exit: (code: number) => void = (code) => process.exit(code)): void {
  const logger = new Logger('Shutdown');
  const server = app.getHttpServer() as Server;
  let stopping = false;

  // While draining, every answer closes its connection: a keep-alive connection left open would
  // hold the drain until its idle timeout. Answers already under way when the signal comes are
  // tracked so they can be told too.
  const unanswered = new Set<ServerResponse>();
  server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    if (stopping) return void response.setHeader('Connection', 'close');
    unanswered.add(response);
    response.once('close', () => unanswered.delete(response));
  });

  async function stop(signal: NodeJS.Signals): Promise<void> {
    if (stopping) {
      logger.warn(`${signal} received again while draining: exiting now`);
      return exit(1);
    }
    stopping = true;
    for (const response of unanswered) if (!response.headersSent) response.setHeader('Connection', 'close');
    const connections = await new Promise<number>((resolve) => server.getConnections((_error, count) => resolve(count)));
    logger.log(`${signal} received: draining (no new connections; ${connections} open connection(s) finish their requests)`);
    const startedAt = Date.now();
    try {
      // Closed here, before Nest's own shutdown: the background loops and the pool stop only once
      // no request can need them (Nest would stop the loops first, still accepting connections).
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      logger.log('HTTP server closed: every request in flight has been answered');
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
