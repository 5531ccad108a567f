import type { Classify } from './decision.js';
import type { DeliveryWriter } from './delivery-writer.js';
import type { Batch } from './document.js';
import type { BatchHandler } from './executor.js';
import type { Ledger, LedgerEntry } from './ledger.js';
import type { PipelineListener } from './pipeline-event.js';
import type { RetryPolicy } from './retry-policy.js';
import type { Sink, Verifier } from './sink.js';

/** What every step of the batch handler shares: its options resolved, and the request counter. */
export interface BatchScope {
  sink: Sink;
  ledger: Ledger;
  classify: Classify;
  policy: RetryPolicy;
  emit: PipelineListener;
  delivery: DeliveryWriter;
  verifier?: Verifier;
  onUncertain?: (batch: Batch) => void;
  random?: () => number;
  /** How long a request slot stays taken after a request ended uncertain, in ms. */
  holdMs: number;
  session: number;
  verifyDelayMs: number;
  verifyRounds: number;
  /** The next request's number within the session (1-based). */
  nextRequest(): number;
  /** The handler itself: the halves of a bisected batch go through it again. */
  handle: BatchHandler;
}

export const now = (): string => new Date().toISOString();

/** A batch and the attempt count of each of its documents (same order). */
export interface BatchAttempts {
  batch: Batch;
  attempts: readonly number[];
}

/** Writes one ledger entry per document, built from its key and its attempt count. */
export function mark(
  scope: BatchScope,
  { batch, attempts }: BatchAttempts,
  entry: (key: string, attempts: number) => LedgerEntry,
): Promise<void> {
  return scope.ledger.write(batch.map((doc, i) => entry(doc.key, attempts[i] ?? 0)));
}

/** Marks a batch `pending` again (waiting for a retry, bisected, or stopped), with the error if any. */
export function markPending(scope: BatchScope, of: BatchAttempts, error?: string): Promise<void> {
  return mark(scope, of, (key, n) => ({
    key,
    state: 'pending',
    attempts: n,
    ...(error === undefined ? {} : { error }),
    at: now(),
  }));
}
