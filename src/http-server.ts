import { createServer } from 'node:http';
import { ExpressAdapter } from '@nestjs/platform-express';

/**
 * How long a connection may take and how many there may be, for a service behind a balancer: a
 * request (headers and its ≤ 64 KB body) arrives within 10 s or gets 408 and the connection closes,
 * checked every second (Node's default: 300 s, checked every 30 s); an idle keep-alive connection
 * stays 65 s, longer than a balancer's usual 60 s idle timeout, so the balancer closes it first and
 * never sends on a connection being closed; past 2,000 connections a new one is closed at once.
 * A slow client cannot hold memory for long.
 */
export const SERVER_LIMITS = { requestTimeoutMs: 10_000, checkEveryMs: 1_000, keepAliveTimeoutMs: 65_000, maxConnections: 2_000 } as const;

/** Nest's Express adapter on an HTTP server created with SERVER_LIMITS (Nest creates it without options). */
export class BoundedExpressAdapter extends ExpressAdapter {
  override initHttpServer(): void {
    const server = createServer(
      {
        requestTimeout: SERVER_LIMITS.requestTimeoutMs,
        headersTimeout: SERVER_LIMITS.requestTimeoutMs,
        connectionsCheckingInterval: SERVER_LIMITS.checkEveryMs,
        keepAliveTimeout: SERVER_LIMITS.keepAliveTimeoutMs,
      },
      this.getInstance(),
    );
    server.maxConnections = SERVER_LIMITS.maxConnections;
    this.setHttpServer(server);
  }
}
