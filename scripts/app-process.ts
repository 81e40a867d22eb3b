import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/** The service's V8 heap caps, as in package.json `start`, the Dockerfile and docker-compose.yml. */
export const HEAP_CAPS_MB = { semiSpace: 16, oldSpace: 192 };

/** The compiled build of the checkout at `root`, run as `npm start` runs it. */
export function buildOf(root: string): string[] {
  return [`--max-semi-space-size=${HEAP_CAPS_MB.semiSpace}`, `--max-old-space-size=${HEAP_CAPS_MB.oldSpace}`, join(root, 'dist', 'main.js')];
}

/** How to run the service: the compiled build as `npm start` runs it (benchmarks), or the TypeScript sources (tests). */
export const FROM_BUILD = buildOf(ROOT);
export const FROM_SOURCES = ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', 'main.ts')];

export interface AppProcess {
  url: string;
  pid: number;
  /** Highest resident set size the process has had, in MB (VmHWM). */
  peakRssMb(): number;
  /** SIGTERM (graceful) or SIGKILL (a crash); resolves when the process is gone. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

/** Starts the service as a process of its own on `port` (in the checkout at `cwd`) and waits until it is ready. */
export async function startAppProcess(env: Record<string, string>, port: number, entry = FROM_BUILD, cwd = ROOT): Promise<AppProcess> {
  const child: ChildProcess = spawn(process.execPath, entry, {
    cwd,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the app did not become ready within 60 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    pid: child.pid!,
    peakRssMb: () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/** A port that was free a moment ago on 127.0.0.1, for a process started next. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
