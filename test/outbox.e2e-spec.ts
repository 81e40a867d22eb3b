import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { MockDataPlatform, startMockDataPlatform } from '../src/mock-data-platform/mock-data-platform';
import { DELIVERY_CONCURRENCY } from '../src/outbox/outbox-relay';
import { OutboxService } from '../src/outbox/outbox.service';
import { ADMIN_KEY, dropDatabase, startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
// Retries in milliseconds instead of seconds: poll every 50 ms, backoff from 20 ms. The HTTP timeout
// leaves room for the event loop that the apps, the mock platform and the test all share.
const FAST_OUTBOX = { OUTBOX_POLL_INTERVAL_MS: '50', OUTBOX_BACKOFF_BASE_MS: '20', DATA_PLATFORM_TIMEOUT_MS: '1000' };

interface EventRow {
  event_id: string;
  status: 'PENDING' | 'SENT' | 'DEAD';
  attempts: number;
  last_error: string | null;
  sent_at: Date | null;
}

// Events of distinct orders are delivered independently; each test event is about an order of its own.
let lastTestOrderId = 0;
const nextOrderId = () => ++lastTestOrderId;

/** Enqueues one event per payload in one committed transaction, the way a use case does. */
function enqueue(t: TestApp, payloads: object[], type = 'TEST_EVENT'): Promise<string[]> {
  const outbox = t.app.get(OutboxService);
  return t.dataSource.transaction(async (manager) => {
    const eventIds: string[] = [];
    for (const payload of payloads) eventIds.push((await outbox.enqueue(manager, { type, orderId: nextOrderId(), payload })).eventId);
    return eventIds;
  });
}

function rowsOf(t: TestApp, eventIds: string[]): Promise<EventRow[]> {
  return t.query<EventRow>('SELECT event_id, status, attempts, last_error, sent_at FROM outbox_events WHERE event_id IN (?) ORDER BY id', [eventIds]);
}

/** Waits until every one of the events satisfies `done`; returns their rows. */
function waitForRows(t: TestApp, eventIds: string[], description: string, done: (row: EventRow) => boolean): Promise<EventRow[]> {
  return waitFor(description, async () => {
    const rows = await rowsOf(t, eventIds);
    return rows.length === eventIds.length && rows.every(done) ? rows : undefined;
  });
}

const deliveriesOf = (platform: MockDataPlatform, eventIds: string[]) => platform.events.filter((event) => eventIds.includes(event.idempotencyKey));

async function metric(t: TestApp, series: string): Promise<number> {
  const text = (await t.http.get('/metrics').expect(200)).text;
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('outbox relay (e2e)', () => {
  let platform: MockDataPlatform;
  let t: TestApp;
  const env = () => ({ ...FAST_OUTBOX, DATA_PLATFORM_URL: platform.url, OUTBOX_MAX_ATTEMPTS: '30', OUTBOX_BACKOFF_MAX_MS: '250' });

  beforeAll(async () => {
    platform = await startMockDataPlatform();
    t = await startTestApp(env());
  });

  afterEach(() => {
    platform.setFailure(null);
  });

  afterAll(async () => {
    await t.close();
    await platform.close();
  });

  it('delivers a committed event once: POST { eventId, type, ...payload } with Idempotency-Key and JSON content type', async () => {
    const payload = {
      orderId: 10,
      userId: 1,
      items: [{ productId: 3, quantity: 2, unitPrice: 12_500 }],
      totalAmount: 25_000,
      discountAmount: 0,
      payAmount: 25_000,
      paidAt: '2026-11-25T10:00:00.000Z',
    };
    const [eventId] = await enqueue(t, [payload], 'ORDER_PAID');
    expect(eventId).toMatch(UUID_V4);

    const [row] = await waitForRows(t, [eventId], 'the event to be SENT', (r) => r.status === 'SENT');
    expect(row).toMatchObject({ attempts: 1, last_error: null, sent_at: expect.any(Date) });
    expect(deliveriesOf(platform, [eventId])).toEqual([
      { idempotencyKey: eventId, contentType: 'application/json', body: { eventId, type: 'ORDER_PAID', ...payload }, receivedAt: expect.any(String) },
    ]);
  });

  it('publishes nothing before the commit and nothing from a rolled-back transaction', async () => {
    const outbox = t.app.get(OutboxService);
    let rolledBack = '';
    await expect(
      t.dataSource.transaction(async (manager) => {
        rolledBack = (await outbox.enqueue(manager, { type: 'TEST_EVENT', orderId: nextOrderId(), payload: { step: 'rolled back' } })).eventId;
        throw new Error('the business change failed');
      }),
    ).rejects.toThrow('the business change failed');

    const committed = await t.dataSource.transaction(async (manager) => {
      const { eventId } = await outbox.enqueue(manager, { type: 'TEST_EVENT', orderId: nextOrderId(), payload: { step: 'committed' } });
      // Held open across six relay polls: the uncommitted row must stay invisible to the relay.
      await sleep(300);
      expect(deliveriesOf(platform, [eventId])).toEqual([]);
      return eventId;
    });

    await waitForRows(t, [committed], 'the committed event to be SENT', (r) => r.status === 'SENT');
    expect(await rowsOf(t, [rolledBack])).toEqual([]);
    expect(deliveriesOf(platform, [rolledBack])).toEqual([]);
  });

  it('loses nothing in a platform outage (503): after recovery every event arrives exactly once, under one eventId', async () => {
    platform.setFailure(503);
    const outageStart = Date.now();
    const payloads = Array.from({ length: 20 }, (_, i) => ({ orderId: 1_000 + i }));
    const eventIds = await enqueue(t, payloads);

    // The outage lasts at least a second and until every event has failed three times.
    await waitFor('a second of outage with three failed attempts per event', async () => {
      const rows = await rowsOf(t, eventIds);
      return Date.now() - outageStart >= 1_000 && rows.every((r) => r.status === 'PENDING' && r.attempts >= 3);
    });
    for (const row of await rowsOf(t, eventIds)) expect(row.last_error).toMatch(/^HTTP 503/);
    expect(deliveriesOf(platform, eventIds)).toEqual([]);

    platform.setFailure(null);
    const recoveredAt = Date.now();
    await waitForRows(t, eventIds, 'every event to be SENT after recovery', (r) => r.status === 'SENT');
    // The backoff is capped at 250 ms and the relay polls every 50 ms.
    expect(Date.now() - recoveredAt).toBeLessThan(2_000);

    const deliveries = deliveriesOf(platform, eventIds);
    expect(deliveries.map((d) => d.idempotencyKey).sort()).toEqual([...eventIds].sort());
    for (const delivery of deliveries) {
      expect(delivery.body).toEqual({ eventId: delivery.idempotencyKey, type: 'TEST_EVENT', ...payloads[eventIds.indexOf(delivery.idempotencyKey)] });
    }
    expect(new Set(deliveries.map((d) => d.body.orderId)).size).toBe(payloads.length);
  });

  it('retries 429 Too Many Requests', async () => {
    platform.setFailure(429);
    const eventIds = await enqueue(t, [{ orderId: 2_001 }, { orderId: 2_002 }, { orderId: 2_003 }]);
    await waitForRows(t, eventIds, 'two rate-limited attempts per event', (r) => r.attempts >= 2 && /^HTTP 429/.test(r.last_error ?? ''));

    platform.setFailure(null);
    await waitForRows(t, eventIds, 'every event to be SENT', (r) => r.status === 'SENT');
    expect(deliveriesOf(platform, eventIds)).toHaveLength(3);
  });

  it('retries a platform slower than DATA_PLATFORM_TIMEOUT_MS, resending under the same eventId', async () => {
    platform.setFailure(null, 1_500);
    const payloads = [{ orderId: 3_001 }, { orderId: 3_002 }];
    const eventIds = await enqueue(t, payloads);
    await waitForRows(t, eventIds, 'a timed-out attempt on each event', (r) => r.last_error === 'no response within 1000 ms');

    platform.setFailure(null, 0);
    const rows = await waitForRows(t, eventIds, 'every event to be SENT', (r) => r.status === 'SENT');
    expect(rows.every((r) => r.attempts >= 2)).toBe(true);
    // The slow platform kept what it answered too late: duplicates, each under its event's own key.
    const deliveries = deliveriesOf(platform, eventIds);
    expect(new Set(deliveries.map((d) => d.idempotencyKey))).toEqual(new Set(eventIds));
    for (const delivery of deliveries) {
      expect(delivery.body).toEqual({ eventId: delivery.idempotencyKey, type: 'TEST_EVENT', ...payloads[eventIds.indexOf(delivery.idempotencyKey)] });
    }
  });

  it('delivers claimed events concurrently, so slow answers do not queue up behind each other', async () => {
    platform.setFailure(null, 200);
    const start = Date.now();
    const eventIds = await enqueue(t, Array.from({ length: DELIVERY_CONCURRENCY }, (_, i) => ({ orderId: 4_000 + i })));
    await waitForRows(t, eventIds, 'every event to be SENT', (r) => r.status === 'SENT');
    // One at a time would take 10 × 200 ms.
    expect(Date.now() - start).toBeLessThan(1_000);
  });

  it('shares one outbox between two app instances without delivering any event twice', async () => {
    const second = await startTestApp({ ...env(), DB_NAME: t.config.database.name }, { keepDatabase: true });
    try {
      const sentSeries = 'outbox_delivery_attempts_total{outcome="sent"}';
      const firstBefore = await metric(t, sentSeries);
      platform.setFailure(null, 20);
      const eventIds = await enqueue(t, Array.from({ length: 200 }, (_, i) => ({ orderId: 5_000 + i })));

      const rows = await waitForRows(t, eventIds, 'every event to be SENT', (r) => r.status === 'SENT');
      // Each event was claimed once (one attempt) and arrived once.
      expect(rows.filter((r) => r.attempts !== 1)).toEqual([]);
      const keys = deliveriesOf(platform, eventIds).map((d) => d.idempotencyKey);
      expect(keys).toHaveLength(200);
      expect(new Set(keys).size).toBe(200);

      const byFirst = (await metric(t, sentSeries)) - firstBefore;
      const bySecond = await metric(second, sentSeries);
      expect(byFirst).toBeGreaterThan(0);
      expect(bySecond).toBeGreaterThan(0);
      expect(byFirst + bySecond).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('exposes outbox metrics: pending/dead gauge, delivery latency, attempts by outcome', async () => {
    expect(await metric(t, 'outbox_events{status="PENDING"}')).toBe(0);
    expect(await metric(t, 'outbox_events{status="DEAD"}')).toBe(0);
    expect(await metric(t, 'outbox_delivery_latency_seconds_count')).toBeGreaterThan(0);
    for (const outcome of ['sent', 'server_error', 'rate_limited', 'timeout']) {
      expect(await metric(t, `outbox_delivery_attempts_total{outcome="${outcome}"}`)).toBeGreaterThan(0);
    }
  });
});

describe('dead events and the admin endpoints (e2e)', () => {
  let platform: MockDataPlatform;
  let t: TestApp;
  const admin = (request: ReturnType<TestApp['http']['get']>) => request.set('X-Admin-Key', ADMIN_KEY);

  beforeAll(async () => {
    platform = await startMockDataPlatform({ failWith: 503 });
    t = await startTestApp({ ...FAST_OUTBOX, DATA_PLATFORM_URL: platform.url, OUTBOX_MAX_ATTEMPTS: '3', OUTBOX_BACKOFF_MAX_MS: '50' });
  });

  afterAll(async () => {
    await t.close();
    await platform.close();
  });

  it('gives up after OUTBOX_MAX_ATTEMPTS, lists the DEAD events, and delivers them once re-queued after recovery', async () => {
    const payloads = [{ orderId: 1 }, { orderId: 2 }, { orderId: 3 }];
    const eventIds = await enqueue(t, payloads);
    const dead = await waitForRows(t, eventIds, 'every event to be DEAD', (r) => r.status === 'DEAD');
    expect(dead.map((r) => r.attempts)).toEqual([3, 3, 3]);
    expect(dead.every((r) => /^HTTP 503/.test(r.last_error ?? ''))).toBe(true);
    expect(deliveriesOf(platform, eventIds)).toEqual([]);
    expect(await metric(t, 'outbox_events{status="DEAD"}')).toBe(3);

    const list = await admin(t.http.get('/api/v1/admin/outbox-events?status=DEAD')).expect(200);
    expect(list.body).toEqual({
      items: [...eventIds].reverse().map((eventId, i) => ({
        eventId,
        type: 'TEST_EVENT',
        status: 'DEAD',
        attempts: 3,
        payload: payloads[2 - i],
        lastError: expect.stringMatching(/^HTTP 503/),
        nextAttemptAt: null,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        sentAt: null,
      })),
      nextCursor: null,
    });

    platform.setFailure(null);
    for (const eventId of eventIds) {
      const retried = await admin(t.http.post(`/api/v1/admin/outbox-events/${eventId}/retry`)).expect(200);
      expect(retried.body).toMatchObject({ eventId, status: 'PENDING', attempts: 0, nextAttemptAt: expect.any(String), sentAt: null });
    }
    await waitForRows(t, eventIds, 'the re-queued events to be SENT', (r) => r.status === 'SENT');
    expect(deliveriesOf(platform, eventIds).map((d) => d.idempotencyKey).sort()).toEqual([...eventIds].sort());
    // The old failures are history once delivered: a SENT event shows no lastError.
    const sent = await admin(t.http.get('/api/v1/admin/outbox-events?status=SENT&limit=100')).expect(200);
    const listed = sent.body.items.filter((item: { eventId: string }) => eventIds.includes(item.eventId));
    expect(listed.map((item: { lastError: unknown; sentAt: unknown }) => [item.lastError, typeof item.sentAt])).toEqual(Array(3).fill([null, 'string']));
    expect(await metric(t, 'outbox_events{status="DEAD"}')).toBe(0);

    const again = await admin(t.http.post(`/api/v1/admin/outbox-events/${eventIds[0]}/retry`)).expect(409);
    expect(again.body).toMatchObject({ statusCode: 409, code: 'OUTBOX_EVENT_NOT_DEAD' });
  });

  it('answers 404 OUTBOX_EVENT_NOT_FOUND for an unknown event id', async () => {
    const response = await admin(t.http.post('/api/v1/admin/outbox-events/0b6f6f0e-8d0a-4f43-9a57-2f4c1b8e9d21/retry')).expect(404);
    expect(response.body).toMatchObject({ statusCode: 404, code: 'OUTBOX_EVENT_NOT_FOUND' });
  });

  it('lists newest first, paged by cursor, filtered by status', async () => {
    const eventIds = await enqueue(t, [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    await waitForRows(t, eventIds, 'the new events to be SENT', (r) => r.status === 'SENT');
    const all = await t.query<{ event_id: string; status: string }>('SELECT event_id, status FROM outbox_events ORDER BY id DESC');

    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { items: { eventId: string }[]; nextCursor: string | null } = (
        await admin(t.http.get(`/api/v1/admin/outbox-events?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).expect(200)
      ).body;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.eventId));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(all.map((r) => r.event_id));

    const sent = await admin(t.http.get('/api/v1/admin/outbox-events?status=SENT&limit=100')).expect(200);
    expect(sent.body.items.map((item: { eventId: string }) => item.eventId)).toEqual(all.filter((r) => r.status === 'SENT').map((r) => r.event_id));
  });

  describe('bad input → 400 VALIDATION_FAILED naming the field', () => {
    it.each([
      ['status=SENDING', 'status'],
      ['status=', 'status'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=abc', 'limit'],
      ['cursor=abc', 'cursor'],
      ['cursor=-5', 'cursor'],
      ['other=1', 'other'],
    ])('list query %s', async (query, field) => {
      const response = await admin(t.http.get(`/api/v1/admin/outbox-events?${query}`)).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', message: expect.stringContaining(field) });
    });

    it.each(['not-a-uuid', '123', '0b6f6f0e-8d0a-4f43-9a57-2f4c1b8e9d2'])('retry of event id %s', async (eventId) => {
      const response = await admin(t.http.post(`/api/v1/admin/outbox-events/${eventId}/retry`)).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', message: expect.stringContaining('eventId') });
    });
  });

  it.each([undefined, 'wrong-admin-key'])('answers 401 UNAUTHORIZED with admin key %s', async (key) => {
    const list = t.http.get('/api/v1/admin/outbox-events');
    const retry = t.http.post('/api/v1/admin/outbox-events/0b6f6f0e-8d0a-4f43-9a57-2f4c1b8e9d21/retry');
    for (const request of [list, retry]) {
      const response = await (key === undefined ? request : request.set('X-Admin-Key', key)).expect(401);
      expect(response.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
    }
  });

  it('documents both endpoints in the OpenAPI document', async () => {
    const document = (await t.http.get('/docs-json').expect(200)).body;
    const list = document.paths['/api/v1/admin/outbox-events'].get;
    const retry = document.paths['/api/v1/admin/outbox-events/{eventId}/retry'].post;
    expect(list.operationId).toBe('listOutboxEvents');
    expect(retry.operationId).toBe('retryOutboxEvent');
    expect(Object.keys(list.responses)).toEqual(expect.arrayContaining(['200', '400', '401']));
    expect(Object.keys(retry.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '404', '409']));
  });
});

describe('without DATA_PLATFORM_URL (e2e)', () => {
  let t: TestApp;
  let warn: jest.SpyInstance;

  beforeAll(async () => {
    warn = jest.spyOn(Logger.prototype, 'warn');
    t = await startTestApp({ ...FAST_OUTBOX, DATA_PLATFORM_URL: '' });
  });

  afterAll(async () => {
    warn.mockRestore();
    await t.close();
  });

  it('warns at start-up and keeps events PENDING in the outbox', async () => {
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('DATA_PLATFORM_URL is not set'));
    const eventIds = await enqueue(t, [{ orderId: 1 }, { orderId: 2 }]);
    // Six poll intervals: a running relay would have claimed them by now.
    await sleep(300);
    expect((await rowsOf(t, eventIds)).map((r) => [r.status, r.attempts])).toEqual([
      ['PENDING', 0],
      ['PENDING', 0],
    ]);
    expect(await metric(t, 'outbox_events{status="PENDING"}')).toBe(2);
    const list = await t.http.get('/api/v1/admin/outbox-events?status=PENDING').set('X-Admin-Key', ADMIN_KEY).expect(200);
    expect(list.body.items.map((item: { eventId: string }) => item.eventId)).toEqual([...eventIds].reverse());
  });
});

describe('shutdown (e2e)', () => {
  it('stops claiming and finishes the deliveries in flight before the database closes', async () => {
    const platform = await startMockDataPlatform({ delayMs: 300 });
    const t = await startTestApp({ ...FAST_OUTBOX, DATA_PLATFORM_URL: platform.url }, { keepDatabase: true });
    try {
      const eventIds = await enqueue(t, [{ orderId: 1 }]);
      await waitForRows(t, eventIds, 'the event to be claimed', (r) => r.status === 'PENDING' && r.attempts === 1);
      expect(deliveriesOf(platform, eventIds)).toEqual([]);

      await t.close();
      expect(deliveriesOf(platform, eventIds)).toHaveLength(1);
      const connection = await t.openSession();
      const [rows] = await connection.query('SELECT status FROM outbox_events WHERE event_id = ?', eventIds);
      await connection.end();
      expect(rows).toEqual([{ status: 'SENT' }]);
    } finally {
      await dropDatabase(t.config);
      await platform.close();
    }
  });
});
