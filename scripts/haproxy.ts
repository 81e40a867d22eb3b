// haproxy in front of app instances, for `npm run scale:check`: the configuration is generated into
// a file of its own, the process runs in the foreground (-db) as a child of the script.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Haproxy {
  url: string;
  pid: number;
  /** Each server's state and the requests haproxy sent it, from the stats page (`;json`). */
  servers(): Promise<Array<{ name: string; status: string; requests: number }>>;
  stop(): Promise<void>;
}

/** True when the `haproxy` binary runs; the check installs nothing. */
export function haproxyInstalled(): boolean {
  return spawnSync('haproxy', ['-v'], { stdio: 'ignore' }).status === 0;
}

/**
 * Round robin over `backends`, each checked on /health/ready every second (down after 2 failures,
 * up again after 2 passes), so an instance that loses its database leaves the rotation.
 */
export function haproxyConfig(port: number, statsPort: number, backends: string[]): string {
  return [
    'global',
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  option http-keep-alive',
    '  timeout connect 2s',
    '  timeout client 30s',
    '  timeout server 30s',
    '  timeout http-request 10s',
    '  timeout http-keep-alive 10s',
    '  timeout queue 10s',
    '  timeout check 2s',
    'frontend api',
    `  bind 127.0.0.1:${port}`,
    '  default_backend instances',
    'backend instances',
    '  balance roundrobin',
    '  option httpchk',
    '  http-check send meth GET uri /health/ready',
    '  http-check expect status 200',
    '  default-server check inter 1s fall 2 rise 2',
    ...backends.map((address, i) => `  server app${i + 1} ${address}`),
    'listen stats',
    `  bind 127.0.0.1:${statsPort}`,
    '  stats enable',
    '  stats uri /stats',
    '',
  ].join('\n');
}

interface StatField {
  objType: string;
  field: { name: string };
  value: { value: string | number };
}

/** Writes the configuration into `dir`, checks it (`haproxy -c`), starts haproxy and waits until every backend is UP. */
export async function startHaproxy(dir: string, port: number, statsPort: number, backends: string[]): Promise<Haproxy> {
  const configPath = join(dir, `haproxy-${port}.cfg`);
  writeFileSync(configPath, haproxyConfig(port, statsPort, backends));
  const check = spawnSync('haproxy', ['-c', '-q', '-f', configPath], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy refused ${configPath}: ${check.stderr}`);
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', configPath], { stdio: ['ignore', 'ignore', 'inherit'] });

  const servers = async () => {
    const response = await fetch(`http://127.0.0.1:${statsPort}/stats;json`);
    const objects = (await response.json()) as StatField[][];
    return objects
      .map((fields) => Object.fromEntries(fields.filter((f) => f.objType === 'Server').map((f) => [f.field.name, f.value.value])))
      .filter((server) => server.svname !== undefined)
      .map((server) => ({ name: String(server.svname), status: String(server.status), requests: Number(server.stot ?? 0) }));
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited with code ${child.exitCode}`);
    try {
      const up = (await servers()).filter((server) => server.status === 'UP').length;
      if (up === backends.length && (await fetch(`http://127.0.0.1:${port}/health/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`haproxy did not see all ${backends.length} instances UP within 30 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, servers, stop };
}
