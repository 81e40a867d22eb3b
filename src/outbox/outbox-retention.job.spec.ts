import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { OutboxRetentionJob, RETENTION_BATCH_SIZE } from './outbox-retention.job';
import { OutboxRepository } from './outbox.repository';

describe(OutboxRetentionJob.name, () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined));
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('shutdown waits for the batch in progress, and no further batch starts', async () => {
    jest.useFakeTimers();
    let finishBatch!: (deleted: number) => void;
    const deleteSentBefore = jest.fn(() => new Promise<number>((resolve) => (finishBatch = resolve)));
    const sut = new OutboxRetentionJob(
      { manager: {} } as DataSource,
      { deleteSentBefore } as unknown as OutboxRepository,
      { outbox: { retentionDays: 7 } } as AppConfig,
    );
    sut.onApplicationBootstrap();
    jest.advanceTimersByTime(10 * 60_000);
    expect(deleteSentBefore).toHaveBeenCalledWith({}, 7, RETENTION_BATCH_SIZE);

    let stopped = false;
    const shutdown = sut.onModuleDestroy().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);

    finishBatch(RETENTION_BATCH_SIZE); // a full batch: more would be due, but the job is stopping
    await shutdown;
    expect(stopped).toBe(true);
    expect(deleteSentBefore).toHaveBeenCalledTimes(1);
  });
});
