/**
 * Drives V8's sampling profiler of a process started with `--inspect=<host:port>` over the
 * inspector protocol: the same profiler as `node --cpu-prof`, but started and stopped around one
 * timed load instead of covering the process's whole life.
 */
export class CpuProfiler {
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
      if (message.id !== undefined) this.pending.get(message.id)?.(message.result);
    });
  }

  static async connect(inspectorHostPort: string): Promise<CpuProfiler> {
    const [target] = (await (await fetch(`http://${inspectorHostPort}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
    const socket = new WebSocket(target.webSocketDebuggerUrl);
    await new Promise((resolve, reject) => {
      socket.addEventListener('open', resolve, { once: true });
      socket.addEventListener('error', reject, { once: true });
    });
    const profiler = new CpuProfiler(socket);
    await profiler.send('Profiler.enable');
    await profiler.send('Profiler.setSamplingInterval', { interval: 1_000 });
    return profiler;
  }

  async start(): Promise<void> {
    await this.send('Profiler.start');
  }

  /** The profile in the `.cpuprofile` format (Chrome DevTools, speedscope). */
  async stop(): Promise<unknown> {
    return ((await this.send('Profiler.stop')) as { profile: unknown }).profile;
  }

  close(): void {
    this.socket.close();
  }

  private send(method: string, params: object = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, (result) => {
        this.pending.delete(id);
        resolve(result);
      });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }
}
