import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SEC = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** utime and stime of a process, in µs (fields 14 and 15 of /proc/<pid>/stat, after the command name). */
export function cpuTimeUs(pid: number): { user: number; system: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { user: (Number(fields[11]) / CLOCK_TICKS_PER_SEC) * 1e6, system: (Number(fields[12]) / CLOCK_TICKS_PER_SEC) * 1e6 };
}
