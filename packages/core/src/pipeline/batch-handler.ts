import { onFailure } from './batch-failure.js';
import { reconcile } from './batch-reconcile.js';
import type { BatchScope } from './batch-scope.js';
import { sendAttempt } from './batch-send.js';
import { settleDone } from './batch-settle.js';
import type { Classify } from './decision.js';
import type { RunDelivery } from './delivery.js';
import { deliveryWriter } from './delivery-writer.js';
import type { Batch } from './document.js';
import type { BatchHandler, ExecutorContext } from './executor.js';
import type { Ledger } from './ledger.js';
import type { PipelineListener } from './pipeline-event.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
import type { Sink, Verifier } from './sink.js';
import { DEFAULT_VERIFY_ROUNDS } from './verify-document.js';

export interface BatchHandlerOptions {
  sink: Sink;
  ledger: Ledger;
  /** The one classifier (the client's, with the job's `run.retry` overrides applied). */
  classify: Classify;
  /** Retry budget and backoff; defaults to DEFAULT_RETRY_POLICY. */
  retry?: Partial<RetryPolicy>;
  listener?: PipelineListener;
  /** Receives documents that ended `uncertain`, for reconciliation at the end of the run. */
  onUncertain?: (batch: Batch) => void;
  /** The job's `verify:` lookup: uncertain records are looked up first and sent only when not found. */
  verifier?: Verifier;
  /** Delivery records (`inflight` before each request, `delivered` after a well-formed answer). */
  delivery?: RunDelivery;
  /** How long a request slot stays taken after a request ended uncertain (timeout, reset), in ms; default 100. */
  uncertainHoldMs?: number;
  /** Source of jitter; default Math.random. */
  random?: () => number;
  /** `verify.delay` in ms: no lookup before a record's send time plus this; default 5000. */
  verifyDelayMs?: number;
  /** `verify.rounds`: lookups (at delay, 2×delay, 4×delay, …) before an uncertain record is sent again; default 3. */
  verifyRounds?: number;
  /** Session number written to the ledger entries (results name their request by session and number); default 1. */
  session?: number;
}

/**
 * The shared per-batch policy every executor runs: `inflight` durably before the request,
 * then done / retry with backoff / wait (pausing the environment) / bisect and reject /
 * uncertain / stop, as the classifier decides. Only `stop` throws.
 */
export function createBatchHandler(options: BatchHandlerOptions): BatchHandler {
  let requests = 0;
  const scope: BatchScope = {
    sink: options.sink,
    ledger: options.ledger,
    classify: options.classify,
    policy: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    emit: options.listener ?? (() => {}),
    delivery: deliveryWriter(options.delivery),
    ...(options.verifier ? { verifier: options.verifier } : {}),
    ...(options.onUncertain ? { onUncertain: options.onUncertain } : {}),
    ...(options.random ? { random: options.random } : {}),
    holdMs: options.uncertainHoldMs ?? 100,
    session: options.session ?? 1,
    verifyDelayMs: options.verifyDelayMs ?? 5000,
    verifyRounds: options.verifyRounds ?? DEFAULT_VERIFY_ROUNDS,
    nextRequest: () => ++requests,
    handle: (batch, context) => handleBatch(scope, batch, context),
  };
  return scope.handle;
}

/** One batch to a final state: reconciled, then sent until answered or settled otherwise. */
async function handleBatch(scope: BatchScope, input: Batch, context: ExecutorContext): Promise<void> {
  const prior = await scope.ledger.get(input.map((doc) => doc.key));
  const batch = scope.verifier ? await reconcile(scope, { batch: input, prior }, context) : input;
  if (batch.length === 0) return;
  const attempts = batch.map((doc) => prior[input.indexOf(doc)]?.attempts ?? 0);
  const retries = { count: 0 };
  for (;;) {
    if (context.signal.aborted) return;
    const attempt = await sendAttempt(scope, { batch, attempts }, context);
    if (attempt.outcome === 'unsent') {
      if (context.signal.aborted) return;
      throw attempt.error;
    }
    const size = batch.length;
    if (attempt.outcome === 'answered') {
      scope.emit({ type: 'request', size, latencyMs: attempt.latencyMs, ok: true });
      await settleDone(scope, { batch, attempts, request: attempt.request, answer: attempt.answer }, context);
      return;
    }
    const { error } = attempt;
    const decision = scope.classify(error);
    const message = decision.message ?? (error instanceof Error ? error.message : String(error));
    scope.emit({ type: 'request', size, latencyMs: attempt.latencyMs, ok: false });
    const next = await onFailure(scope, { ...attempt, batch, attempts, decision, message, retries }, context);
    if (next === 'settled') return;
  }
}
