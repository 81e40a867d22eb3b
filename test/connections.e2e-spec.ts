import { AddressInfo, connect, Socket } from 'node:net';
import { SERVER_LIMITS } from '../src/http-server';
import { useTestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

interface Held {
  socket: Socket;
  answer: string;
  closed: boolean;
}

/** Opens a connection and sends `bytes`, then holds it, recording what the server answers and when it closes it. */
function hold(port: number, bytes: string): Held {
  const held: Held = { socket: connect(port, '127.0.0.1'), answer: '', closed: false };
  held.socket.on('connect', () => held.socket.write(bytes));
  held.socket.on('data', (chunk: Buffer) => (held.answer += chunk.toString()));
  held.socket.on('error', () => undefined);
  held.socket.on('close', () => (held.closed = true));
  return held;
}

describe('connections a slow or greedy client may hold (e2e)', () => {
  const t = useTestApp();
  const port = () => (t.app.getHttpServer().address() as AddressInfo).port;
  const timedOut = (held: Held) => held.closed && held.answer.startsWith('HTTP/1.1 408');

  it(`closes a connection whose body has not arrived within ${SERVER_LIMITS.requestTimeoutMs / 1_000} s with 408, and goes on serving`, async () => {
    const slow = Array.from({ length: 50 }, () => hold(port(), 'POST /api/v1/users/1/balance/charge HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"amou'));
    await waitFor('every slow body to be answered 408 and closed', () => slow.every(timedOut), SERVER_LIMITS.requestTimeoutMs * 3);
    expect(JSON.parse(slow[0].answer.split('\r\n\r\n')[1])).toMatchObject({ statusCode: 408, code: 'REQUEST_TIMEOUT' });
    await t.http.get('/health/live').expect(200);
  }, 60_000);

  it(`holds at most ${SERVER_LIMITS.maxConnections} connections: more are closed at once, unanswered`, async () => {
    const idle: Held[] = [];
    try {
      // In batches, each connected before the next, so that none waits in the listen backlog.
      while (idle.length < SERVER_LIMITS.maxConnections + 20) {
        const batch = Array.from({ length: 100 }, () => hold(port(), ''));
        await Promise.all(batch.map((held) => new Promise((resolve) => held.socket.once('connect', resolve).once('close', resolve))));
        idle.push(...batch);
      }
      // A connection the kernel completed but the server has not accepted yet looks open to the client.
      const open = () => idle.filter((held) => !held.closed).length;
      await waitFor('the connections past the cap to be closed', () => open() <= SERVER_LIMITS.maxConnections, SERVER_LIMITS.requestTimeoutMs / 2);
      const refused = idle.filter((held) => held.closed);
      expect(refused.length).toBeGreaterThanOrEqual(20);
      expect(refused.every((held) => held.answer === '')).toBe(true);
      // The others sent no request: each is answered 408 and closed once the header time limit passes.
      await waitFor('the idle connections to be closed', () => idle.every((held) => held.closed), SERVER_LIMITS.requestTimeoutMs * 3);
      expect(idle.filter(timedOut).length).toBe(idle.length - refused.length);
      await t.http.get('/health/live').expect(200);
    } finally {
      for (const held of idle) held.socket.destroy();
    }
  }, 90_000);
});
