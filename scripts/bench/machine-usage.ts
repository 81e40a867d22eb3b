import { readdirSync, readFileSync } from 'node:fs';
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

/** The pid of a MariaDB or MySQL server running on this machine, if any. */
function databaseServerPid(): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (/^(mariadbd|mysqld)$/.test(readFileSync(`/proc/${entry}/comm`, 'utf8').trim())) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return undefined;
}

const totalUs = ({ user, system }: { user: number; system: number }) => user + system;

/** Starts measuring the machine; the returned function stops and turns the figures into per-request ones. */
export function measureMachine(): (answered: number) => MachineUsage {
  const databasePid = databaseServerPid();
  const loadGeneratorBefore = process.cpuUsage();
  const databaseBefore = databasePid === undefined ? undefined : cpuTimeUs(databasePid);
  const coresBefore = coreTimes();
  return (answered) => {
    const perRequest = (us: number) => Math.round(us / Math.max(answered, 1));
    const cores = coreTimes();
    return {
      loadGeneratorCpuUsPerRequest: perRequest(totalUs(process.cpuUsage(loadGeneratorBefore))),
      databaseCpuUsPerRequest: databasePid === undefined ? null : perRequest(totalUs(cpuTimeUs(databasePid)) - totalUs(databaseBefore!)),
      machineIdlePercent: Math.round(((cores.idle - coresBefore.idle) / Math.max(cores.total - coresBefore.total, 1)) * 100),
    };
  };
}
