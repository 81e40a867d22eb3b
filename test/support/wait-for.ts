/**
 * Polls `check` until it returns something truthy, and returns that. Fails after `timeoutMs`
 * naming what it waited for, so a slow path shows as a clear failure, never a hang.
 */
export async function waitFor<T>(
  description: string,
  check: () => Promise<T> | T,
  timeoutMs = 10_000,
  intervalMs = 20,
): Promise<Exclude<T, undefined | null | false>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result) return result as Exclude<T, undefined | null | false>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
