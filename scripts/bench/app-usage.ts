import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppProcess } from '../app-process';
import { CpuProfiler } from './cpu-profiler';
import { cpuTimeUs } from './proc-stat';

/** What the app process spent during one timed load. */
export interface AppUsage {
  /** The process's CPU time (user + system, every thread) ÷ answered requests, in µs. */
  cpuUsPerRequest: number;
  /** The kernel's part of that CPU time (socket reads and writes, epoll), in %. */
  systemCpuPercent: number;
  /** Highest V8 old generation (everything but the young generation) seen while sampling twice a second, in MB. */
  heapPeakMb: number;
  /** The old generation's cap (`--max-old-space-size`), in MB. */
  heapCapMb: number;
  /** Share of the load's wall time the main thread spent in GC pauses, in %. */
  gcPercent: number;
  /** Full (mark-compact) collections during the load. */
  majorGcs: number;
  /** Highest resident set size seen while sampling, in MB. */
  rssMb: number;
}

const SAMPLE_EVERY_MS = 500;
const MB = 2 ** 20;

/** Every value of a metric in Prometheus text format, with its labels as a string. */
function values(metrics: string, name: string): { labels: string; value: number }[] {
  return [...metrics.matchAll(new RegExp(`^${name}(?:\\{(.*)\\})? (\\S+)$`, 'gm'))].map(([, labels = '', value]) => ({ labels, value: Number(value) }));
}

const sum = (metrics: string, name: string, labels = '') =>
  values(metrics, name)
    .filter((v) => v.labels.includes(labels))
    .reduce((total, v) => total + v.value, 0);

/** prom-client's default metrics, read from the app's /metrics. */
function memory(metrics: string): { oldGenerationBytes: number; rssBytes: number } {
  const young = (v: { labels: string }) => /space="new(_large_object)?"/.test(v.labels);
  const oldGenerationBytes = values(metrics, 'nodejs_heap_space_size_used_bytes')
    .filter((v) => !young(v))
    .reduce((total, v) => total + v.value, 0);
  return { oldGenerationBytes, rssBytes: sum(metrics, 'process_resident_memory_bytes') };
}

/**
 * Measures the app around timed loads. Only a load named with `next()` is measured (the first
 * one after it), so a scenario's extra loads do not overwrite its figures.
 */
export class AppProbe {
  private label?: string;

  constructor(
    private readonly app: AppProcess,
    private readonly heapCapMb: number,
    private readonly profiler?: CpuProfiler,
    private readonly profileDir?: string,
  ) {}

  next(label: string): void {
    this.label = label;
  }

  /** Starts measuring; the returned function stops and turns the figures into per-request ones. */
  async start(): Promise<((answered: number) => Promise<AppUsage>) | undefined> {
    const label = this.label;
    if (label === undefined) return undefined;
    this.label = undefined;
    const scrape = async () => (await fetch(`${this.app.url}/metrics`)).text();
    const before = await scrape();
    await this.profiler?.start();
    const startedAt = performance.now();
    const cpuBefore = cpuTimeUs(this.app.pid);
    let peak = memory(before);
    const sampler = setInterval(() => {
      scrape()
        .then((metrics) => {
          const now = memory(metrics);
          peak = { oldGenerationBytes: Math.max(peak.oldGenerationBytes, now.oldGenerationBytes), rssBytes: Math.max(peak.rssBytes, now.rssBytes) };
        })
        .catch(() => undefined);
    }, SAMPLE_EVERY_MS);

    return async (answered) => {
      const cpuAfter = cpuTimeUs(this.app.pid);
      const cpuUs = cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system;
      const wallSec = (performance.now() - startedAt) / 1_000;
      clearInterval(sampler);
      if (this.profiler && this.profileDir) writeFileSync(join(this.profileDir, `${label}.cpuprofile`), JSON.stringify(await this.profiler.stop()));
      const after = await scrape();
      const gcSec = sum(after, 'nodejs_gc_duration_seconds_sum') - sum(before, 'nodejs_gc_duration_seconds_sum');
      const majorGcs = sum(after, 'nodejs_gc_duration_seconds_count', 'kind="major"') - sum(before, 'nodejs_gc_duration_seconds_count', 'kind="major"');
      return {
        cpuUsPerRequest: Math.round(cpuUs / Math.max(answered, 1)),
        systemCpuPercent: Math.round(((cpuAfter.system - cpuBefore.system) / Math.max(cpuUs, 1)) * 100),
        heapPeakMb: Math.round(Math.max(peak.oldGenerationBytes, memory(after).oldGenerationBytes) / MB),
        heapCapMb: this.heapCapMb,
        gcPercent: Math.round((gcSec / wallSec) * 1_000) / 10,
        majorGcs,
        rssMb: Math.round(Math.max(peak.rssBytes, memory(after).rssBytes) / MB),
      };
    };
  }
}
