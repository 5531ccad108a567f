import { type BatchAttempts, type BatchScope, now } from './batch-scope.js';
import type { SinkAnswer } from './batch-send.js';
import type { Decision } from './decision.js';
import type { Batch } from './document.js';
import type { ExecutorContext } from './executor.js';
import type { LedgerEntry } from './ledger.js';
import type { SinkResult } from './sink.js';
import { verifyDocument } from './verify-document.js';

/** What the settle steps need to know of the request that carried a batch. */
export interface SettleOptions {
  batch: Batch;
  attempts: readonly number[];
  /** The request's number within the session. */
  request: number;
}

/**
 * A well-formed answer: `delivered` in the delivery store, `done` in the ledger with AFAS's keys
 * (or, for a multi-element request answered once, that answer and each record's own keys looked up).
 */
export async function settleDone(
  scope: BatchScope,
  options: SettleOptions & { answer: SinkAnswer },
  context: ExecutorContext,
): Promise<void> {
  const { batch, attempts, request, answer } = options;
  const settled = resultsOf(batch, answer);
  const results: SinkResult[] = settled.map((r) => r.result ?? {});
  await scope.delivery.delivered(batch, results);
  const entries: LedgerEntry[] = batch.map((doc, i) => ({
    key: doc.key,
    state: 'done',
    attempts: attempts[i] ?? 0,
    ...settled[i],
    at: now(),
    session: scope.session,
    request,
    element: i,
  }));
  await scope.ledger.write(entries);
  scope.emit({
    type: 'settled',
    state: 'done',
    keys: batch.map((doc) => doc.key),
    documents: batch,
    sent: true,
  });
  if (answer.scope === 'request' && batch.length > 1) await lookUpKeys(scope, { batch, entries }, context);
}

/** Rejected: `rejected` in the ledger with the error and the source records (for the rejects file). */
export async function settleRejected(
  scope: BatchScope,
  { batch, attempts }: BatchAttempts,
  decision: Decision,
): Promise<void> {
  await scope.ledger.write(
    batch.map((doc, i) => ({
      key: doc.key,
      state: 'rejected',
      attempts: attempts[i] ?? 0,
      error: decision.message ?? 'rejected',
      session: scope.session,
      ...(decision.profitLogReference ? { profitLogReference: decision.profitLogReference } : {}),
      records: [...doc.records],
      at: now(),
    })),
  );
  scope.emit({
    type: 'settled',
    state: 'rejected',
    keys: batch.map((doc) => doc.key),
    error: decision.message,
    documents: batch,
    sent: true,
  });
}

/** The answer was lost (timeout, reset): `uncertain` with what was sent, for the lookups later. */
export async function settleUncertain(
  scope: BatchScope,
  options: SettleOptions & { sentAt: string; message: string },
): Promise<void> {
  const { batch, attempts, request, sentAt, message } = options;
  await scope.ledger.write(
    batch.map((doc, i) => ({
      key: doc.key,
      state: 'uncertain',
      attempts: attempts[i] ?? 0,
      error: message,
      at: now(),
      sentAt,
      session: scope.session,
      request,
      element: i,
      sent: doc.element,
      records: [...doc.records],
    })),
  );
  await scope.delivery.uncertain(batch);
  const keys = batch.map((doc) => doc.key);
  scope.emit({ type: 'settled', state: 'uncertain', keys, error: message, documents: batch, sent: true });
  scope.onUncertain?.(batch);
}

/**
 * The ledger fields of each document's result. When AFAS answered once for a multi-element
 * request, the answer is kept as `requestResult` (scope `request`); `lookUpKeys` then finds
 * each record's own keys where the job has a `verify:` lookup.
 */
function resultsOf(
  batch: Batch,
  answer: SinkAnswer,
): Pick<LedgerEntry, 'result' | 'resultScope' | 'requestResult'>[] {
  if (answer.scope !== 'request' || batch.length === 1) {
    return batch.map((_, i) => ({
      result: answer.results[i] ?? {},
      resultScope: answer.scope === 'none' ? 'none' : 'element',
    }));
  }
  const requestResult = answer.request ?? {};
  return batch.map(() => ({ result: {}, resultScope: 'request', requestResult }));
}

/**
 * Each record's own AFAS keys through the `verify:` lookup, after the records are durably
 * done (a crash meanwhile leaves them done with the request's answer). A lookup that finds
 * nothing or fails leaves the entry as it is; stopping ends the lookups.
 */
async function lookUpKeys(
  scope: BatchScope,
  done: { batch: Batch; entries: LedgerEntry[] },
  context: ExecutorContext,
): Promise<void> {
  const { batch, entries } = done;
  const verifier = scope.verifier;
  if (!verifier) return;
  const found: LedgerEntry[] = [];
  for (const [i, doc] of batch.entries()) {
    const entry = entries[i];
    if (!entry || context.signal.aborted) break;
    const outcome = await verifyDocument(doc, context, {
      verifier,
      classify: scope.classify,
      policy: scope.policy,
      random: scope.random,
    });
    if (outcome.found === true) found.push({ ...entry, result: outcome.result, resultScope: 'lookup' });
  }
  if (found.length > 0) await scope.ledger.write(found);
}
