import { parseFailureSettings, startMockDataPlatform } from './mock-data-platform';

// `npm run mock:platform`: the mock data platform on MOCK_PLATFORM_HOST (default 127.0.0.1, this
// machine only; a container sets 0.0.0.0) and MOCK_PLATFORM_PORT (default 4000).
// MOCK_PLATFORM_FAIL_WITH (e.g. 503) and MOCK_PLATFORM_DELAY_MS set how it starts; POST /control changes it.
async function main(): Promise<void> {
  const host = process.env.MOCK_PLATFORM_HOST || '127.0.0.1';
  const port = Number(process.env.MOCK_PLATFORM_PORT || 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error('MOCK_PLATFORM_PORT must be a port number');
  const settings = parseFailureSettings(
    {
      failWith: process.env.MOCK_PLATFORM_FAIL_WITH ? Number(process.env.MOCK_PLATFORM_FAIL_WITH) : null,
      delayMs: Number(process.env.MOCK_PLATFORM_DELAY_MS || 0),
    },
    { failWith: null, delayMs: 0 },
  );
  if (typeof settings === 'string') throw new Error(`MOCK_PLATFORM_FAIL_WITH / MOCK_PLATFORM_DELAY_MS: ${settings}`);

  const log = (fields: object) => console.log(JSON.stringify({ time: new Date().toISOString(), ...fields }));
  const platform = await startMockDataPlatform({ port, host, ...settings, log: (line) => console.log(line) });
  log({ msg: `mock data platform listening on ${host}:${platform.port}: POST /events, GET /events, POST /control`, ...settings });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log({ msg: `${signal} received: closing` });
      void platform.close().then(() => {
        log({ msg: 'mock data platform closed' });
        process.exit(0);
      });
    });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
