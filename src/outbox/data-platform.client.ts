export type DeliveryOutcome = 'sent' | 'rate_limited' | 'server_error' | 'rejected' | 'timeout' | 'network_error';

export interface DeliveryResult {
  outcome: DeliveryOutcome;
  /** Why the attempt failed, for the event's last_error; absent when sent. */
  error?: string;
}

/** The most of a platform's answer that is read (contract): memory stays flat however large it is. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs one event to the data platform with its id as the Idempotency-Key. Never throws: any
 * failure comes back as an outcome. Any 2xx is success; redirects are not followed, since a
 * redirected POST would turn into a GET.
 */
export async function postEvent(url: string, eventId: string, body: string, timeoutMs: number): Promise<DeliveryResult> {
  const abandon = new AbortController();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': eventId },
      body,
      redirect: 'manual',
      signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), abandon.signal]),
    });
    // Read the body (so the connection goes back to the keep-alive pool), but no more than the cap.
    const text = await readAtMost(response, MAX_RESPONSE_BYTES, abandon);
    if (response.ok) return { outcome: 'sent' };
    const outcome = response.status === 429 ? 'rate_limited' : response.status >= 500 ? 'server_error' : 'rejected';
    return { outcome, error: `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}` };
  } catch (error) {
    // Duck-typed: fetch's errors may come from another realm (a test VM), where instanceof fails.
    const { name, message, cause } = error as { name?: string; message?: string; cause?: { message?: string } };
    if (name === 'TimeoutError') return { outcome: 'timeout', error: `no response within ${timeoutMs} ms` };
    // fetch rejects with TypeError('fetch failed') and puts the reason (ECONNREFUSED, …) in `cause`.
    return { outcome: 'network_error', error: [message ?? String(error), cause?.message].filter(Boolean).join(': ') };
  }
}

/** The body's first `limit` bytes as text; a longer body is cut there and its connection aborted. */
async function readAtMost(response: Response, limit: number, abandon: AbortController): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value.subarray(0, limit - size));
      size += value.byteLength;
    }
  } finally {
    if (size >= limit) abandon.abort();
    reader.releaseLock();
  }
  return Buffer.concat(chunks).toString('utf8');
}
