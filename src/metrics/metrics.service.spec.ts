import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MetricsService, TRANSACTION_NAMES, TRANSACTION_RETRY_REASONS } from './metrics.service';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe(MetricsService.name, () => {
  it('has every retry counter of every known transaction at 0 before any retry', async () => {
    const sut = new MetricsService();
    const { values } = await sut.transactionRetries.get();
    expect(values).toHaveLength(TRANSACTION_NAMES.length * TRANSACTION_RETRY_REASONS.length);
    for (const operation of TRANSACTION_NAMES) {
      for (const reason of TRANSACTION_RETRY_REASONS) expect(values).toContainEqual({ labels: { operation, reason }, value: 0 });
    }
  });

  it('knows every transaction name the sources give TransactionRunner.run or IdempotencyService.run', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(join(__dirname, '..'))) {
      const text = readFileSync(file, 'utf8');
      for (const [, name] of text.matchAll(/transactions\.run\(\s*'(\w+)'/g)) used.add(name);
      for (const [, name] of text.matchAll(/operation: '(\w+)'/g)) used.add(name);
    }
    expect(used.size).toBeGreaterThan(5);
    expect([...used].filter((name) => !TRANSACTION_NAMES.includes(name))).toEqual([]);
  });
});
