import { readFileSync } from 'node:fs';
import type { Connection, Pool, RowDataPacket } from 'mysql2/promise';
import { cpuTimeUs } from './proc-stat';

/**
 * What the rest of the machine spent beside the app during one timed load. The app, the load
 * generator (autocannon, in the bench's own process) and a local database share the same cores, so
 * these say whether a scenario was held back by the app or by the machine.
 */
export interface MachineUsage {
  /** The bench process's CPU time (autocannon builds and parses every request there) ÷ answered requests, in µs. */
  loadGeneratorCpuUsPerRequest: number;
  /** The database server's CPU time ÷ answered requests, in µs; null when it is not a process on this machine. */
  databaseCpuUsPerRequest: number | null;
  /** Share of all cores' time left idle during the load, in %. */
  machineIdlePercent: number;
}

/** Idle (idle + iowait) and total jiffies of all cores, from the first line of /proc/stat. */
function coreTimes(): { idle: number; total: number } {
  const [, user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  return { idle: idle + iowait, total: user + nice + system + idle + iowait + irq + softirq + steal };
}

/** The database server's process, from its pid file (`@@pid_file`); undefined when it is not on this machine. */
export async function databaseServerPid(db: Pool | Connection): Promise<number | undefined> {
  const [[{ pidFile }]] = await db.query<RowDataPacket[]>('SELECT @@pid_file AS pidFile');
  try {
    return Number(readFileSync(pidFile as string, 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** The process's CPU time, or undefined once it has ended. */
function cpuTimeIfRunning(pid: number | undefined): { user: number; system: number } | undefined {
  try {
    return pid === undefined ? undefined : cpuTimeUs(pid);
  } catch {
    return undefined;
  }
}

const totalUs = ({ user, system }: { user: number; system: number }) => user + system;

/** Starts measuring the machine; the returned function stops and turns the figures into per-request ones. */
export function measureMachine(databasePid: number | undefined): (answered: number) => MachineUsage {
  const loadGeneratorBefore = process.cpuUsage();
  const databaseBefore = cpuTimeIfRunning(databasePid);
  const coresBefore = coreTimes();
  return (answered) => {
    const perRequest = (us: number) => Math.round(us / Math.max(answered, 1));
    const cores = coreTimes();
    const databaseAfter = cpuTimeIfRunning(databasePid);
    return {
      loadGeneratorCpuUsPerRequest: perRequest(totalUs(process.cpuUsage(loadGeneratorBefore))),
      databaseCpuUsPerRequest: databaseBefore && databaseAfter ? perRequest(totalUs(databaseAfter) - totalUs(databaseBefore)) : null,
      machineIdlePercent: Math.round(((cores.idle - coresBefore.idle) / Math.max(cores.total - coresBefore.total, 1)) * 100),
    };
  };
}
