import { Logger } from '@nestjs/common';
import { loggableError } from '../database/query-log';

/**
 * Runs a background task every `intervalMs`, never two runs at once, logging failures; `stop()`
 * waits for a run in progress, so shutdown does not close the pool under it.
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly logger: Logger,
    private readonly task: () => Promise<unknown>,
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.running ??= this.task()
        .catch((error: unknown) => this.logger.error({ err: loggableError(error) }, 'background task failed'))
        .finally(() => (this.running = undefined));
    }, intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
