import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postEvent } from './data-platform.client';

const HUGE_BODY_BYTES = 200 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'x');

/** A platform that answers `status` with a 200 MB body, streamed; counts what it managed to send. */
async function startHugePlatform(status: number): Promise<{ url: string; sent: () => number; close: () => Promise<void> }> {
  let sent = 0;
  const server: Server = createServer((request, response) => {
    request.resume();
    response.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': String(HUGE_BODY_BYTES) });
    const pump = () => {
      while (sent < HUGE_BODY_BYTES && !response.destroyed) {
        sent += CHUNK.length;
        if (!response.write(CHUNK)) return void response.once('drain', pump);
      }
      if (!response.destroyed) response.end();
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`,
    sent: () => sent,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe(postEvent.name, () => {
  it.each([
    ['an error', 500, 'server_error'],
    ['a success', 200, 'sent'],
  ])('reads at most 64 KB of %s answer with a 200 MB body, then aborts: memory stays flat', async (_case, status, outcome) => {
    const platform = await startHugePlatform(status);
    try {
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      const result = await postEvent(platform.url, 'event-1', '{}', 10_000);
      const rssGrowth = process.memoryUsage().rss - rssBefore;

      expect(result.outcome).toBe(outcome);
      if (status !== 200) expect(result.error).toMatch(/^HTTP 500: x{200}$/);
      // Only what sat in socket buffers went out before the abort, not the 200 MB.
      expect(platform.sent()).toBeLessThan(16 * 1024 * 1024);
      expect(rssGrowth).toBeLessThan(40 * 1024 * 1024);
    } finally {
      await platform.close();
    }
  });

  it('reads a small answer whole', async () => {
    const server = createServer((request, response) => {
      request.resume();
      response.writeHead(422).end('bad event');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      expect(await postEvent(url, 'event-1', '{}', 5_000)).toEqual({ outcome: 'rejected', error: 'HTTP 422: bad event' });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
