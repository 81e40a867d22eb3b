import type { DataSource } from 'typeorm';
import { MetricsService } from '../metrics/metrics.service';
import { TRANSACTION_NAMES } from './transaction-names';
import { TransactionRunner } from './transaction-runner';

describe(TransactionRunner.name, () => {
  it('has the retry counters of every transaction at 0 before any retry', async () => {
    const metrics = new MetricsService();
    new TransactionRunner({} as DataSource, metrics);

    const { values } = await metrics.transactionRetries.get();

    expect(values).toHaveLength(TRANSACTION_NAMES.length * 2);
    for (const operation of TRANSACTION_NAMES) {
      for (const reason of ['deadlock', 'lock_wait_timeout']) expect(values).toContainEqual({ labels: { operation, reason }, value: 0 });
    }
  });
});
