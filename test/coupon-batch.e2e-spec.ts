import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { Response } from 'supertest';
import type { DataSource, QueryRunner } from 'typeorm';
import { MetricsService } from '../src/metrics/metrics.service';
import { authHeader } from './support/auth';
import { makeCoupon, makeUser } from './support/factories';
import { startTcpProxy } from './support/tcp-proxy';
import { expectLockOrder } from './support/lock-order';
import { logStatements } from './support/statement-log';
import { openSession, startTestApp, TestApp, testConfig, useTestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

/** Issue requests for one coupon that arrive while a batch is in flight are settled together. */
describe('coupon issuance in batches (e2e)', () => {
  const issue = async (t: TestApp, couponId: number, userId: number) =>
    t.http.post(`/api/v1/coupons/${couponId}/issue`).set(await authHeader(userId)).send({ userId });

  /**
   * Sends a request and returns once the instance has queued it (or answered it without queueing),
   * so the test fixes the arrival order.
   */
  async function arrive(t: TestApp, couponId: number, userId: number, answers: Promise<Response>[]): Promise<void> {
    const before = await waiting(t);
    let answered = false;
    answers.push(
      issue(t, couponId, userId).then((response) => {
        answered = true;
        return response;
      }),
    );
    await waitFor(`issue request of user ${userId} queued`, async () => answered || (await waiting(t)) > before, 10_000, 1);
  }

  /** Issue requests the instance has queued and not answered yet (its gauge on /metrics). */
  const waiting = async (t: TestApp): Promise<number> => {
    const gauge = t.app.get(MetricsService).registry.getSingleMetric('coupon_issue_requests_waiting')!;
    return (await gauge.get()).values[0].value;
  };

  /** A connection of its own straight to the database, holding the coupon row so batches pile up behind it. */
  async function holdCouponRow(t: TestApp, couponId: number): Promise<Connection> {
    // Straight to the database, past any proxy the app goes through.
    const connection = await openSession(testConfig({ DB_NAME: t.config.database.name }));
    await connection.query('START TRANSACTION');
    await connection.query('SELECT id FROM coupons WHERE id = ? FOR UPDATE', [couponId]);
    return connection;
  }

  /** Statements each database transaction ran, one list per transaction (query runner). */
  function captureTransactions(dataSource: DataSource, onQuery: (sql: string, parameters: unknown) => void = () => undefined) {
    const byRunner = new Map<QueryRunner | undefined, string[]>();
    const stop = logStatements(dataSource, (query, parameters, queryRunner) => {
      byRunner.set(queryRunner, [...(byRunner.get(queryRunner) ?? []), query]);
      onQuery(query, parameters);
    });
    return {
      issuing: () => [...byRunner.values()].filter((statements) => statements.some((sql) => sql.includes('FROM coupons WHERE id = ? FOR UPDATE'))),
      stop,
    };
  }

  const metric = async (t: TestApp, name: string) => {
    const text = (await t.http.get('/metrics').expect(200)).text;
    return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  };

  describe('one instance', () => {
    const t = useTestApp();

    it('settles a batch with the same statements whatever its size: none per request', async () => {
      const users = await Promise.all(Array.from({ length: 21 }, () => makeUser(t.http)));
      const coupon = await makeCoupon(t.http, { totalQuantity: 100 });
      const batchesBefore = await metric(t, 'coupon_issue_batch_size_count');
      const capture = captureTransactions(t.dataSource);
      const holder = await holdCouponRow(t, coupon.id);
      let responses: Response[];
      try {
        // The first request goes at once (a batch of one) and waits for the row; the other 20 queue behind it.
        const pending: Promise<Response>[] = [];
        for (const user of users) await arrive(t, coupon.id, user.id, pending);
        await holder.query('ROLLBACK');
        responses = await Promise.all(pending);
      } finally {
        capture.stop();
        await holder.end();
      }

      expect(responses.map((r) => r.status)).toEqual(Array(21).fill(201));
      const [lone, batch] = capture.issuing();
      expect(capture.issuing()).toHaveLength(2);
      const shape = (count: number) => [
        'START TRANSACTION',
        'SELECT total_quantity - issued_quantity AS remaining FROM coupons WHERE id = ? FOR UPDATE',
        expect.stringMatching(new RegExp(`FROM users u LEFT JOIN user_coupons h .* WHERE u\\.id IN \\(\\?${', \\?'.repeat(count - 1)}\\)$`, 's')),
        expect.stringMatching(new RegExp(`^INSERT INTO user_coupons \\(user_id, coupon_id, status, issued_at, expires_at\\) VALUES (\\(\\?, \\?, \\?, \\?, \\?\\)(, |$)){${count}}`)),
        expect.stringMatching(/^SELECT id, user_id AS userId FROM user_coupons WHERE coupon_id = \? AND user_id IN \(/),
        'UPDATE coupons SET issued_quantity = issued_quantity + ? WHERE id = ? AND issued_quantity + ? <= total_quantity',
        'COMMIT',
      ];
      expect(lone).toEqual(shape(1));
      expect(batch).toEqual(shape(20));
      expectLockOrder(batch, ['coupon']);
      await t.http.get(`/api/v1/coupons/${coupon.id}`).expect(200, { ...coupon, issuedQuantity: 21, remainingQuantity: 79 });
      // The histogram counted both batches.
      expect(await metric(t, 'coupon_issue_batch_size_count')).toBe(batchesBefore + 2);
    });

    it('answers a sold-out coupon from memory once a batch took its last unit', async () => {
      const [winner, late, unknown] = [await makeUser(t.http), await makeUser(t.http), 987_001];
      const coupon = await makeCoupon(t.http, { totalQuantity: 1 });
      expect((await issue(t, coupon.id, winner.id)).status).toBe(201);
      const capture = captureTransactions(t.dataSource);
      try {
        for (const userId of [late.id, winner.id, unknown]) {
          const refused = await issue(t, coupon.id, userId);
          expect([refused.status, refused.body.code]).toEqual([409, 'COUPON_SOLD_OUT']);
        }
      } finally {
        capture.stop();
      }
      expect(capture.issuing()).toEqual([]);
    });

    it('settles a request whose client hung up like the others', async () => {
      const users = await Promise.all(Array.from({ length: 6 }, () => makeUser(t.http)));
      const coupon = await makeCoupon(t.http, { totalQuantity: 10 });
      const holder = await holdCouponRow(t, coupon.id);
      try {
        const firstAnswer: Promise<Response>[] = [];
        await arrive(t, coupon.id, users[0].id, firstAnswer);
        const { port } = t.app.getHttpServer().address() as AddressInfo;
        const hungUp = [];
        for (const user of users.slice(1)) {
          const body = JSON.stringify({ userId: user.id });
          const client = httpRequest({
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: `/api/v1/coupons/${coupon.id}/issue`,
            headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...(await authHeader(user.id)) },
          });
          client.on('error', () => undefined);
          client.end(body);
          hungUp.push(client);
        }
        await waitFor('the hung-up requests queued', async () => (await waiting(t)) === 6, 10_000, 1);
        for (const client of hungUp) client.destroy();
        await holder.query('ROLLBACK');
        expect((await firstAnswer[0]).status).toBe(201);
        await waitFor('every queued request settled', async () => (await waiting(t)) === 0, 10_000, 5);
      } finally {
        await holder.end();
      }

      const rows = await t.query<{ user_id: number }>('SELECT user_id FROM user_coupons WHERE coupon_id = ? ORDER BY user_id', [coupon.id]);
      expect(rows.map((r) => Number(r.user_id))).toEqual(users.map((u) => u.id).sort((a, b) => a - b));
      await t.http.get(`/api/v1/coupons/${coupon.id}`).expect(200, { ...coupon, issuedQuantity: 6, remainingQuantity: 4 });
    });
  });

  it('two instances, 600 requests for a 300-unit coupon with repeats and unknown users: exactly 300, each answer true, order kept', async () => {
    const first = await startTestApp({ COUPON_ISSUE_BATCH_SIZE: '40' });
    const second = await startTestApp({ COUPON_ISSUE_BATCH_SIZE: '40', DB_NAME: first.config.database.name }, { keepDatabase: true });
    const instances = [first, second];
    try {
      const users: number[] = [];
      for (let i = 0; i < 480; i += 40) users.push(...(await Promise.all(Array.from({ length: 40 }, () => makeUser(first.http)))).map((u) => u.id));
      const unknown = Array.from({ length: 40 }, (_, i) => 900_000 + i);
      const coupon = await makeCoupon(first.http, { totalQuantity: 300 });
      // 480 users, 80 of them asking twice (40 at the same instance, 40 at the other), 40 unknown users;
      // arrival order mixes them all and alternates the instances.
      const arrivals: { userId: number; instance: number }[] = [];
      users.forEach((userId, i) => {
        arrivals.push({ userId, instance: i % 2 });
        if (i % 12 === 5) arrivals.push({ userId, instance: i % 2 });
        if (i % 12 === 11) arrivals.push({ userId, instance: (i + 1) % 2 });
        if (i % 12 === 7) arrivals.push({ userId: unknown[Math.floor(i / 12)], instance: i % 2 });
      });
      expect(arrivals).toHaveLength(600);

      const holder = await holdCouponRow(first, coupon.id);
      const pending: Promise<Response>[] = [];
      try {
        for (const { userId, instance } of arrivals) await arrive(instances[instance], coupon.id, userId, pending);
        await holder.query('ROLLBACK');
      } finally {
        await holder.end();
      }
      const answers = (await Promise.all(pending)).map((response, i) => ({ ...arrivals[i], status: response.status, body: response.body }));

      const outcome = (a: { status: number; body: { code?: string } }) => (a.status === 201 ? 'ISSUED' : a.body.code);
      const issued = answers.filter((a) => a.status === 201);
      expect(issued).toHaveLength(300);
      for (const a of answers) expect(['ISSUED', 'COUPON_ALREADY_ISSUED', 'USER_NOT_FOUND', 'COUPON_SOLD_OUT']).toContain(outcome(a));
      for (const refusal of ['COUPON_ALREADY_ISSUED', 'USER_NOT_FOUND', 'COUPON_SOLD_OUT']) expect(answers.some((a) => outcome(a) === refusal)).toBe(true);

      // The database agrees with every answer.
      await first.http.get(`/api/v1/coupons/${coupon.id}`).expect(200, { ...coupon, issuedQuantity: 300, remainingQuantity: 0 });
      const rows = await first.query<{ id: number; user_id: number; issued_at: Date; expires_at: Date }>(
        'SELECT id, user_id, issued_at, expires_at FROM user_coupons WHERE coupon_id = ?',
        [coupon.id],
      );
      expect(rows).toHaveLength(300);
      expect(new Set(rows.map((r) => Number(r.user_id))).size).toBe(300);
      const rowById = new Map(rows.map((r) => [Number(r.id), r]));
      for (const a of issued) {
        const row = rowById.get(a.body.userCouponId);
        expect(row && [Number(row.user_id), row.issued_at.toISOString(), row.expires_at.toISOString()]).toEqual([a.userId, a.body.issuedAt, a.body.expiresAt]);
      }
      const holders = new Set(rows.map((r) => Number(r.user_id)));
      for (const a of answers) {
        if (outcome(a) === 'USER_NOT_FOUND') expect(unknown).toContain(a.userId);
        if (outcome(a) === 'COUPON_ALREADY_ISSUED') expect(holders.has(a.userId)).toBe(true);
        if (unknown.includes(a.userId)) expect(['USER_NOT_FOUND', 'COUPON_SOLD_OUT']).toContain(outcome(a));
      }
      for (const userId of users) {
        expect(issued.filter((a) => a.userId === userId)).toHaveLength(holders.has(userId) ? 1 : 0);
      }

      // Within one instance an earlier arrival never loses to a later one.
      for (const instance of [0, 1]) {
        const mine = answers.filter((a) => a.instance === instance);
        const firstSoldOut = mine.findIndex((a) => outcome(a) === 'COUPON_SOLD_OUT');
        const lastIssued = mine.map(outcome).lastIndexOf('ISSUED');
        expect(firstSoldOut === -1 || lastIssued < firstSoldOut).toBe(true);
        for (const userId of users) {
          const asked = mine.filter((a) => a.userId === userId).map(outcome);
          if (asked.includes('ISSUED')) expect(asked[0]).toBe('ISSUED');
        }
      }
      // Both instances settled several requests per transaction.
      for (const t of instances) expect(await metric(t, 'coupon_issue_batch_size_sum')).toBeGreaterThan(await metric(t, 'coupon_issue_batch_size_count'));
    } finally {
      await second.close();
      await first.close();
    }
  });

  it('a database cut in the middle of a batch applies none of it and answers every request in it 503', async () => {
    const base = testConfig();
    const proxy = await startTcpProxy(base.database.host, base.database.port);
    const t = await startTestApp({ DB_HOST: '127.0.0.1', DB_PORT: String(proxy.port), DB_NAME: base.database.name });
    try {
      const users = await Promise.all(Array.from({ length: 11 }, () => makeUser(t.http)));
      const coupon = await makeCoupon(t.http, { totalQuantity: 100 });
      // The cut comes when the batch of ten has inserted its rows and is about to count them.
      const capture = captureTransactions(t.dataSource, (sql, parameters) => {
        if (sql.startsWith('UPDATE coupons SET issued_quantity') && Array.isArray(parameters) && parameters[0] === 10) void proxy.cut();
      });
      const holder = await holdCouponRow(t, coupon.id);
      try {
        const pending: Promise<Response>[] = [];
        for (const user of users) await arrive(t, coupon.id, user.id, pending);
        await holder.query('ROLLBACK');
        const responses = await Promise.all(pending);

        expect(responses.map((r) => r.status)).toEqual([201, ...Array(10).fill(503)]);
        for (const r of responses.slice(1)) expect(r.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
        expect(capture.issuing().filter((statements) => statements.some((sql) => sql.startsWith('INSERT INTO user_coupons')))).toHaveLength(2);
        // Read straight from the database (the app's way to it is cut): only the batch of one is there.
        const [rows] = await holder.query<RowDataPacket[]>(
          'SELECT (SELECT issued_quantity FROM coupons WHERE id = ?) AS issued, (SELECT COUNT(*) FROM user_coupons WHERE coupon_id = ?) AS held',
          [coupon.id, coupon.id],
        );
        expect([Number(rows[0].issued), Number(rows[0].held)]).toEqual([1, 1]);
      } finally {
        capture.stop();
        await holder.end();
      }

      await proxy.restore();
      const late = await waitFor('an issue after the database is back', async () => {
        const response = await issue(t, coupon.id, users[1].id);
        return response.status === 201 ? response : undefined;
      });
      expect(late.body).toMatchObject({ userId: users[1].id, couponId: coupon.id });
      await t.http.get(`/api/v1/coupons/${coupon.id}`).expect(200, { ...coupon, issuedQuantity: 2, remainingQuantity: 98 });
    } finally {
      await t.close();
      await proxy.close();
    }
  });
});
