import { createServer, Server, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  port: number;
  /** The database "goes down": open connections drop, new ones are refused. */
  cut(): Promise<void>;
  /** The database is back on the same port. */
  restore(): Promise<void>;
  /** The database stalls: connections stay open (new ones are accepted) but no byte goes through. */
  pause(): void;
  /** The stall ends: what was held back goes through. */
  resume(): void;
  close(): Promise<void>;
}

/**
 * A TCP forwarder between the app and the database, so a test can take the database away and
 * bring it back without touching the shared server.
 */
export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server;
  let port = 0;
  let paused = false;

  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = new Socket();
        upstream.connect(targetPort, targetHost);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.once('close', () => sockets.delete(socket));
          socket.on('error', () => socket.destroy());
        }
        client.pipe(upstream).pipe(client);
        if (paused) for (const socket of [client, upstream]) socket.pause();
        client.once('close', () => upstream.destroy());
        upstream.once('close', () => client.destroy());
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });

  const pause = () => {
    paused = true;
    for (const socket of sockets) socket.pause();
  };
  const resume = () => {
    paused = false;
    for (const socket of sockets) socket.resume();
  };

  await listen();
  return { get port() { return port; }, cut: stop, restore: listen, close: stop, pause, resume };
}
