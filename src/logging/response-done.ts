import type { Response } from 'express';
import { performance } from 'node:perf_hooks';

/** A client that closed the connection before its answer was sent (nginx's convention). */
const CLIENT_CLOSED_REQUEST = 499;

export interface ResponseOutcome {
  statusCode: number;
  /** The connection closed before the answer was fully sent. */
  aborted: boolean;
  durationMs: number;
}

/** Calls `done` exactly once per request: when its answer has been sent or its connection closed. */
export function whenResponseDone(response: Response, done: (outcome: ResponseOutcome) => void): void {
  const startedAt = performance.now();
  // A response emits 'close' after 'finish', and also alone when the client goes away first.
  response.once('close', () => {
    const aborted = !response.writableFinished;
    done({ statusCode: aborted ? CLIENT_CLOSED_REQUEST : response.statusCode, aborted, durationMs: performance.now() - startedAt });
  });
}
