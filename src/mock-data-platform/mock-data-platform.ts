import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

// A stand-in for the external data platform, for local runs, docker compose and the tests.
// Plain node:http on purpose: it must start in milliseconds and share nothing with the service.

export interface ReceivedEvent {
  idempotencyKey: string;
  contentType: string | undefined;
  body: Record<string, unknown>;
  receivedAt: string;
}

export interface FailureSettings {
  /** Answer every delivery with this status (e.g. 503, 429); null accepts them. */
  failWith: number | null;
  /** Wait this long before answering each delivery. */
  delayMs: number;
}

export interface MockDataPlatformOptions extends Partial<FailureSettings> {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Receives one JSON line per delivery; silent when absent. */
  log?: (line: string) => void;
}

export interface MockDataPlatform {
  /** Where to POST events: the DATA_PLATFORM_URL to give the service. */
  url: string;
  /** The port it listens on (the one picked when 0 was asked for). */
  port: number;
  /** Every accepted delivery in arrival order, duplicates (same Idempotency-Key) included. */
  events: ReceivedEvent[];
  setFailure(failWith: number | null, delayMs?: number): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;

/** Reads `{ failWith?, delayMs? }` (POST /control, env); returns an error message for a bad value. */
export function parseFailureSettings(input: unknown, current: FailureSettings): FailureSettings | string {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'expected a JSON object';
  const { failWith = current.failWith, delayMs = current.delayMs, ...unknown } = input as Record<string, unknown>;
  if (Object.keys(unknown).length > 0) return `unknown field ${Object.keys(unknown)[0]}`;
  if (failWith !== null && !isIntegerIn(failWith, 400, 599)) return 'failWith must be null or an HTTP status 400..599';
  if (!isIntegerIn(delayMs, 0, 600_000)) return 'delayMs must be an integer 0..600000';
  return { failWith, delayMs };
}

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
}

export async function startMockDataPlatform(options: MockDataPlatformOptions = {}): Promise<MockDataPlatform> {
  const events: ReceivedEvent[] = [];
  const settings: FailureSettings = { failWith: options.failWith ?? null, delayMs: options.delayMs ?? 0 };
  const closing = new AbortController();
  const log = options.log ?? (() => undefined);

  async function receiveEvent(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request);
    const idempotencyKey = request.headers['idempotency-key'];
    const logLine = (status: number, extra: object = {}) =>
      log(JSON.stringify({ time: new Date().toISOString(), idempotencyKey, status, ...extra }));

    // The delay and the failure apply before the event is looked at, like an overloaded server.
    if (settings.delayMs > 0) await delay(settings.delayMs, undefined, { signal: closing.signal });
    if (settings.failWith !== null) {
      logLine(settings.failWith, { failing: true });
      return send(response, settings.failWith, { error: 'failing on purpose (POST /control to change)' });
    }
    const body = parseJson(text);
    if (typeof idempotencyKey !== 'string' || idempotencyKey === '' || !isObject(body)) {
      logLine(400);
      return send(response, 400, { error: 'expected a JSON object and an Idempotency-Key header' });
    }
    const duplicate = events.some((event) => event.idempotencyKey === idempotencyKey);
    // Kept even when the client gave up waiting: a real platform may process what it cannot answer.
    events.push({ idempotencyKey, contentType: request.headers['content-type'], body, receivedAt: new Date().toISOString() });
    logLine(200, { duplicate, body });
    send(response, 200, { eventId: idempotencyKey, duplicate });
  }

  function listEvents(response: ServerResponse): void {
    const byKey = new Map<string, { idempotencyKey: string; count: number; body: object; firstReceivedAt: string }>();
    for (const event of events) {
      const seen = byKey.get(event.idempotencyKey);
      if (seen) seen.count += 1;
      else byKey.set(event.idempotencyKey, { idempotencyKey: event.idempotencyKey, count: 1, body: event.body, firstReceivedAt: event.receivedAt });
    }
    send(response, 200, { received: events.length, unique: byKey.size, duplicates: events.length - byKey.size, events: [...byKey.values()] });
  }

  async function control(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const parsed = parseFailureSettings(parseJson(await readBody(request)), settings);
    if (typeof parsed === 'string') return send(response, 400, { error: parsed });
    Object.assign(settings, parsed);
    log(JSON.stringify({ time: new Date().toISOString(), control: settings }));
    send(response, 200, settings);
  }

  const routes: Record<string, (request: IncomingMessage, response: ServerResponse) => Promise<void> | void> = {
    'POST /events': receiveEvent,
    'GET /events': (_request, response) => listEvents(response),
    'POST /control': control,
    'GET /control': (_request, response) => send(response, 200, settings),
  };
  const server = createServer((request, response) => {
    const route = `${request.method} ${request.url?.split('?')[0]}`;
    const handler = routes[route] ?? (() => send(response, 404, { error: `no route ${route}` }));
    Promise.resolve()
      .then(() => handler(request, response))
      .catch((error: unknown) => {
        if (closing.signal.aborted) return;
        send(response, error instanceof BodyTooLargeError ? 413 : 500, { error: String(error) });
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host === undefined || options.host === '0.0.0.0' ? '127.0.0.1' : options.host;

  return {
    url: `http://${host}:${port}/events`,
    port,
    events,
    setFailure(failWith, delayMs = 0) {
      Object.assign(settings, { failWith, delayMs });
    },
    async close() {
      closing.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

class BodyTooLargeError extends Error {}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError(`body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function send(response: ServerResponse, status: number, body: object): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}
