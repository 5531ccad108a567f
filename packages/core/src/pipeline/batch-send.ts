import { type BatchScope, mark, markPending, now } from './batch-scope.js';
import type { Batch } from './document.js';
import type { ExecutorContext } from './executor.js';
import { sleep } from './retry-policy.js';
import type { SinkResult, SinkResults } from './sink.js';

/** What a request returned, with its scope (see LedgerEntry.resultScope). */
export interface SinkAnswer {
  scope: 'element' | 'request' | 'none';
  results: SinkResult[];
  request?: SinkResult;
}

/** How one attempt ended: answered, failed after it was sent, or never sent. */
export type Attempt =
  | { outcome: 'answered'; answer: SinkAnswer; request: number; latencyMs: number }
  | {
      outcome: 'failed';
      error: unknown;
      request: number;
      latencyMs: number;
      /** ISO time the request went out. */
      sentAt: string;
      /** Puts back the delivery records the attempt replaced (never sent, or refused). */
      restoreDelivery: () => Promise<void>;
    }
  | { outcome: 'unsent'; error: unknown };

function answerOf(value: SinkResults, count: number): SinkAnswer {
  const results = Array.from({ length: count }, (_, i) => value[i] ?? {});
  if (results.some((r) => Object.keys(r).length > 0)) return { scope: 'element', results };
  if (value.requestResult && count > 1) return { scope: 'request', results, request: value.requestResult };
  return { scope: 'none', results };
}

/**
 * One request of a batch: `inflight` (ledger and delivery store) durably before it can start,
 * the send time durably once it has its slot, then the sink. `attempts` is counted up for the
 * attempt (and back down when it was never sent).
 */
/**
 * How long after its `inflight` line a request may still go out without writing its send time
 * again, in ms. The `inflight` line carries `sentAt` = its own time + this: a send within it is
 * never later than the time on disk, so a lookup after a crash (no earlier than `sentAt` +
 * verify.delay) is never early. A request whose slot comes later (a queue behind a 503 pause)
 * writes its actual send time durably before it goes out, as before.
 */
export const SEND_WINDOW_MS = 1000;

/** One send of `batch`; counts each document's attempt up in `attempts` (down again when never sent). */
export async function sendAttempt(
  scope: BatchScope,
  target: { batch: Batch; attempts: number[] },
  context: ExecutorContext,
): Promise<Attempt> {
  const { batch, attempts } = target;
  // `inflight` is on disk before the request can start. It is written before waiting for a
  // request slot (not inside it) so the slot is held only for the request itself; a crash
  // while waiting leaves the records uncertain (looked up, never resent blindly).
  for (let i = 0; i < attempts.length; i++) attempts[i] = (attempts[i] ?? 0) + 1;
  const request = scope.nextRequest();
  const { session } = scope;
  const inflightMs = Date.now();
  const inflightAt = new Date(inflightMs).toISOString();
  const sendBy = new Date(inflightMs + SEND_WINDOW_MS).toISOString();
  const [, restoreDelivery] = await Promise.all([
    mark(scope, target, (key, n) => ({
      key,
      state: 'inflight',
      attempts: n,
      at: inflightAt,
      sentAt: sendBy,
      session,
      request,
    })),
    scope.delivery.sending(batch),
  ]);
  let started = performance.now();
  let sentAt = inflightAt;
  let sent = false;
  try {
    const answer = await context.request(async () => {
      // The send time, durable before the request goes out: a lookup after a crash is never
      // made before it + verify.delay. Within the send window the `inflight` line's `sentAt`
      // (a bound) already holds, so the slot is not held for another fsync.
      sentAt = now();
      if (Date.now() > inflightMs + SEND_WINDOW_MS) {
        await mark(scope, target, (key, n) => ({
          key,
          state: 'inflight',
          attempts: n,
          at: sentAt,
          sentAt,
          session,
          request,
        }));
      }
      sent = true;
      started = performance.now();
      try {
        return answerOf(await scope.sink.send(batch), batch.length);
      } catch (error) {
        // A request that timed out or lost its connection may still be running at AFAS:
        // its slot stays taken a moment longer, so the environment's cap holds at the server.
        if (scope.holdMs > 0 && scope.classify(error).action === 'uncertain') await sleep(scope.holdMs);
        throw error;
      }
    });
    return { outcome: 'answered', answer, request, latencyMs: performance.now() - started };
  } catch (error) {
    if (sent) {
      const latencyMs = performance.now() - started;
      return { outcome: 'failed', error, request, latencyMs, sentAt, restoreDelivery };
    }
    // Never sent (stopped while waiting for a slot): back to pending, attempt not counted.
    for (let i = 0; i < attempts.length; i++) attempts[i] = (attempts[i] ?? 1) - 1;
    await markPending(scope, target);
    await restoreDelivery();
    return { outcome: 'unsent', error };
  }
}
