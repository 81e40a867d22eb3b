import { Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { loggableError } from '../database/query-log';

/**
 * A background job every instance runs every `intervalMs()` (0 = not on this instance), never two
 * runs at once, logging failures. It starts when the app has booted and stops before the database
 * pool closes: `onModuleDestroy` waits for a run in progress, which can end early by checking
 * `stopping` between batches.
 */
export abstract class PeriodicJob implements OnApplicationBootstrap, OnModuleDestroy {
  protected readonly logger = new Logger(this.constructor.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopRequested = false;

  protected abstract intervalMs(): number;

  /** One run of the job. */
  protected abstract runOnce(): Promise<unknown>;

  protected get stopping(): boolean {
    return this.stopRequested;
  }

  onApplicationBootstrap(): void {
    const intervalMs = this.intervalMs();
    if (intervalMs === 0) return;
    this.timer = setInterval(() => {
      this.running ??= this.runOnce()
        .catch((error: unknown) => this.logger.error({ err: loggableError(error) }, 'background task failed'))
        .finally(() => (this.running = undefined));
    }, intervalMs);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopRequested = true;
    clearInterval(this.timer);
    await this.running;
  }
}
