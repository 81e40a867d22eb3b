import { OutboxRetentionJob, RETENTION_BATCH_SIZE } from '../src/outbox/outbox-retention.job';
import { useTestApp } from './support/test-app';

describe('outbox retention: SENT events deleted after OUTBOX_RETENTION_DAYS (e2e)', () => {
  const t = useTestApp({ OUTBOX_RETENTION_DAYS: '7' });

  /** Inserts `count` events in one statement; `sentDaysAgo` null leaves sent_at empty. */
  async function insertEvents(count: number, status: string, sentDaysAgo: number | null, createdDaysAgo = 30): Promise<void> {
    const rows = Array.from({ length: count }, () => '(UUID(), ?, ?, ?, NOW(3) - INTERVAL ? DAY, ' + (sentDaysAgo === null ? 'NULL' : 'NOW(3) - INTERVAL ? DAY') + ')');
    const params = Array.from({ length: count }, () => ['order.paid', '{}', status, createdDaysAgo, ...(sentDaysAgo === null ? [] : [sentDaysAgo])]).flat();
    await t.query(`INSERT INTO outbox_events (event_id, type, payload, status, created_at, sent_at) VALUES ${rows.join(', ')}`, params);
  }
  const countBy = async () =>
    Object.fromEntries(
      (await t.query<{ status: string; old: number; n: number }>(
        "SELECT CONCAT(status, IF(sent_at < NOW(3) - INTERVAL 7 DAY, '-old', '')) AS status, COUNT(*) AS n FROM outbox_events GROUP BY 1",
      )).map((row) => [row.status, Number(row.n)]),
    );

  it('deletes SENT events older than the retention in bounded batches, and keeps the rest', async () => {
    await insertEvents(2_500, 'SENT', 8);
    await insertEvents(3, 'SENT', 6);
    await insertEvents(2, 'PENDING', null);
    await insertEvents(2, 'DEAD', null);
    expect(await countBy()).toEqual({ 'SENT-old': 2_500, SENT: 3, PENDING: 2, DEAD: 2 });

    const deletes: string[] = [];
    const spy = jest.spyOn(t.dataSource.logger, 'logQuery').mockImplementation((query, parameters) => {
      if (query.startsWith('DELETE FROM outbox_events')) deletes.push(`${query} ${JSON.stringify(parameters)}`);
    });
    let deleted: number;
    try {
      deleted = await t.app.get(OutboxRetentionJob).deleteExpired();
    } finally {
      spy.mockRestore();
    }

    expect(deleted).toBe(2_500);
    expect(await countBy()).toEqual({ SENT: 3, PENDING: 2, DEAD: 2 });
    // 1,000 + 1,000 + 500: every statement bounded by the batch size.
    expect(deletes).toHaveLength(3);
    for (const statement of deletes) expect(statement).toMatch(new RegExp(`LIMIT \\?.* \\[7,${RETENTION_BATCH_SIZE}\\]$`));

    expect(await t.app.get(OutboxRetentionJob).deleteExpired()).toBe(0);
  });
});
