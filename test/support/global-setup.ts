import { connect } from 'node:net';

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_PORT = 3306;

function isReachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1_000 });
    const settle = (reachable: boolean) => {
      socket.destroy();
      resolve(reachable);
    };
    socket.once('connect', () => settle(true));
    socket.once('error', () => settle(false));
    socket.once('timeout', () => settle(false));
  });
}

/**
 * End-to-end tests need a MySQL-compatible server. Use the configured one (DB_* or the defaults)
 * when it answers; otherwise start MySQL 8 with testcontainers when Docker is available.
 */
export default async function globalSetup(): Promise<void> {
  const host = process.env.DB_HOST ?? DEFAULT_HOST;
  const port = Number(process.env.DB_PORT ?? DEFAULT_PORT);
  if (await isReachable(host, port)) return;

  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch {
    throw new Error(`No database at ${host}:${port} and no Docker to start one: start MySQL/MariaDB or set DB_*.`);
  }
  const { MySqlContainer } = await import('@testcontainers/mysql');
  const container = await new MySqlContainer('mysql:8.4').withRootPassword('test').start();
  Object.assign(process.env, {
    DB_HOST: container.getHost(),
    DB_PORT: String(container.getPort()),
    DB_USER: 'root',
    DB_PASSWORD: 'test',
  });
  (globalThis as { __MYSQL_CONTAINER__?: unknown }).__MYSQL_CONTAINER__ = container;
}
