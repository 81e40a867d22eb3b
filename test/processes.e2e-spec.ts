import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { AddressInfo, connect, createServer, Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ADMIN_KEY, dropDatabase, testConfig } from './support/test-app';
import { TEST_AUTH_ENV } from './support/auth';
import { waitFor } from './support/wait-for';

const ROOT = join(__dirname, '..');
const ISO_8601 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

interface Line {
  time?: unknown;
  msg?: string;
  context?: string;
  [key: string]: unknown;
}

/** A TypeScript entry point run as its own process, its stdout read as JSON lines. */
function run(entry: string, env: Record<string, string>): { child: ChildProcess; lines: Line[]; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, entry)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Line[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => lines.push(JSON.parse(text) as Line));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, lines, exited };
}

/** A port nothing listens on right now, for a process that takes its port from the environment. */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function readStatus(socket: Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.once('data', (chunk) => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(chunk.toString())?.[1])));
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('the connection closed without an answer')));
  });
}

describe('the service as a process: start-up and stop (e2e)', () => {
  const config = testConfig();
  afterAll(() => dropDatabase(config));

  it('starts with a few lines and stops on SIGTERM logging the signal, the drain and the close, answering the request in flight', async () => {
    const port = await freePort();
    const app = run('src/main.ts', { ...TEST_AUTH_ENV, DB_NAME: config.database.name, PORT: String(port), ADMIN_API_KEY: ADMIN_KEY, LOG_LEVEL: 'info' });
    try {
      await waitFor('the service to listen', () => app.lines.some((line) => line.context === 'Bootstrap'), 60_000);
      const startUp = app.lines.map((line) => line.msg);
      expect(startUp.length).toBeLessThanOrEqual(3);
      expect(startUp).toContainEqual(`order service listening on http://127.0.0.1:${port} (Swagger UI http://127.0.0.1:${port}/docs)`);

      // A request in flight when the signal comes: its body is still to be sent.
      const body = JSON.stringify({ name: 'in-flight' });
      const socket = connect(port, '127.0.0.1');
      await once(socket, 'connect');
      socket.write(`POST /api/v1/users HTTP/1.1\r\nHost: x\r\nX-Admin-Key: ${ADMIN_KEY}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
      app.child.kill('SIGTERM');
      await waitFor('the drain to start', () => app.lines.some((line) => line.msg?.startsWith('SIGTERM received: draining')));
      const status = readStatus(socket);
      socket.write(body);

      expect(await status).toBe(201);
      // The answer closed its connection (no keep-alive to hold the drain open).
      await once(socket, 'close');
      expect(await app.exited).toBe(0);
      const shutdown = app.lines.filter((line) => line.context === 'Shutdown').map((line) => line.msg);
      expect(shutdown).toEqual([
        'SIGTERM received: draining (no new connections; 1 open connection(s) finish their requests)',
        'HTTP server closed: every request in flight has been answered',
        expect.stringMatching(/^stopped in \d+ ms: background jobs stopped, database pool closed$/),
      ]);
      expect(app.lines.find((line) => line.msg === 'request completed')).toMatchObject({ req: { method: 'POST', url: '/api/v1/users' }, res: { statusCode: 201 } });
      expect(app.lines.filter((line) => typeof line.time !== 'string' || !ISO_8601.test(line.time))).toEqual([]);
    } finally {
      app.child.kill('SIGKILL');
    }
  }, 90_000);
});

describe('the mock data platform as a process (e2e)', () => {
  // An address of this machine other than loopback, if it has one.
  const otherAddress = Object.values(networkInterfaces())
    .flat()
    .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;

  async function startPlatform(env: Record<string, string> = {}) {
    const platform = run('src/mock-data-platform/main.ts', { MOCK_PLATFORM_PORT: '0', ...env });
    const ready = await waitFor('the mock platform to listen', () => platform.lines.find((line) => line.msg?.includes('listening on')), 60_000);
    const port = Number(/:(\d+):/.exec(ready.msg!)?.[1]);
    return { ...platform, ready, port };
  }

  const reachable = async (host: string, port: number) => {
    try {
      return (await fetch(`http://${host}:${port}/events`)).ok;
    } catch {
      return false;
    }
  };

  it('listens on 127.0.0.1 only by default, logs ISO times and its stop', async () => {
    const platform = await startPlatform();
    try {
      expect(platform.ready.msg).toMatch(/^mock data platform listening on 127\.0\.0\.1:\d+:/);
      expect(await reachable('127.0.0.1', platform.port)).toBe(true);
      if (otherAddress) expect(await reachable(otherAddress, platform.port)).toBe(false);

      platform.child.kill('SIGTERM');
      expect(await platform.exited).toBe(0);
      expect(platform.lines.map((line) => line.msg).slice(-2)).toEqual(['SIGTERM received: closing', 'mock data platform closed']);
      expect(platform.lines.filter((line) => typeof line.time !== 'string' || !ISO_8601.test(line.time))).toEqual([]);
    } finally {
      platform.child.kill('SIGKILL');
    }
  }, 90_000);

  it('listens where MOCK_PLATFORM_HOST says (a container sets 0.0.0.0)', async () => {
    const platform = await startPlatform({ MOCK_PLATFORM_HOST: '0.0.0.0' });
    try {
      expect(platform.ready.msg).toMatch(/^mock data platform listening on 0\.0\.0\.0:\d+:/);
      if (otherAddress) expect(await reachable(otherAddress, platform.port)).toBe(true);
    } finally {
      platform.child.kill('SIGKILL');
    }
  }, 90_000);
});
