import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { AddressInfo, createServer } from 'node:net';
import { Redis } from 'ioredis';
import { waitFor } from './wait-for';

/** A port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * A redis-server of the suite's own on a free port, keeping nothing on disk: its keys are the
 * suite's alone (every suite's database numbers its users from 1, so a shared Redis would mix
 * suites that run at once), and it can be killed, paused and started again on the same port.
 * `client` is the suite's own connection, for looking at keys.
 */
export class RedisServer {
  private process: ChildProcess | undefined;
  private port: number | undefined;
  private redisClient: Redis | undefined;

  get url(): string {
    if (this.port === undefined) throw new Error('the redis-server is not started');
    return `redis://127.0.0.1:${this.port}`;
  }

  get client(): Redis {
    if (this.redisClient === undefined) throw new Error('the redis-server is not started');
    return this.redisClient;
  }

  /** Starts the server, on a free port the first time and on the same port after that. */
  async start(): Promise<void> {
    this.port ??= await freePort();
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    this.process = child;
    let failure: Error | undefined;
    child.on('error', (error) => (failure = error));
    // Fails fast while the server is down, and reconnects by itself once it is back.
    this.redisClient ??= new Redis(this.url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 1_000, retryStrategy: () => 50 }).on('error', () => undefined);
    if (this.redisClient.status === 'wait') await this.redisClient.connect().catch(() => undefined);
    await waitFor(`redis-server on port ${this.port}`, () => {
      if (failure) throw failure;
      return this.client.ping().catch(() => false);
    });
  }

  /** SIGKILL: gone at once, its connections reset. */
  async kill(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  /** SIGSTOP: connections stay open and nothing is answered, like a hung server. */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  resume(): void {
    this.process?.kill('SIGCONT');
  }

  async close(): Promise<void> {
    this.redisClient?.disconnect();
    await this.kill();
  }
}

/** A RedisServer started before the suite's tests (declare it before the app that uses it) and killed after them. */
export function useRedisServer(): RedisServer {
  const server = new RedisServer();
  beforeAll(() => server.start());
  afterAll(() => server.close());
  return server;
}
