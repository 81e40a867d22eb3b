export default async function globalTeardown(): Promise<void> {
  const container = (globalThis as { __MYSQL_CONTAINER__?: { stop(): Promise<unknown> } }).__MYSQL_CONTAINER__;
  await container?.stop();
}
