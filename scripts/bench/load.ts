import autocannon from 'autocannon';
import type { AppProbe, AppUsage } from './app-usage';
import { MachineUsage, measureMachine } from './machine-usage';

export interface LoadResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Connection errors and timeouts (not HTTP statuses). */
  errors: number;
  statuses: Record<string, number>;
  total: number;
  /** The app's CPU, heap and GC during the load, when the load was named on the probe. */
  app?: AppUsage;
  /** The load generator's, the database's and the idle share of the machine beside it (named loads too). */
  machine?: MachineUsage;
}

export type LoadOptions = Omit<autocannon.Options, 'url'> & { url: string };

let probe: AppProbe | undefined;
let databasePid: number | undefined;

/** Measures the app (and the database server, when it runs here) around every named timed load from now on (set once by main.ts). */
export function measureLoadsWith(appProbe: AppProbe, databaseServer: number | undefined): void {
  probe = appProbe;
  databasePid = databaseServer;
}

/** Runs autocannon and keeps what the report needs. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const stopMeasuring = await probe?.start();
  const stopMeasuringMachine = stopMeasuring && measureMachine(databasePid);
  const result = await autocannon({ ...options, timeout: 10 });
  const statuses = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([status, stat]) => [status, Number((stat as { count: number }).count)]),
  );
  const total = Object.values(statuses).reduce((sum, n) => sum + n, 0);
  return {
    rps: Math.round(total / result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    statuses,
    total,
    machine: stopMeasuringMachine?.(total),
    app: await stopMeasuring?.(total),
  };
}
