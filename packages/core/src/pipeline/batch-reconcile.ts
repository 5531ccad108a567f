import { type BatchScope, now } from './batch-scope.js';
import type { Batch } from './document.js';
import type { ExecutorContext } from './executor.js';
import type { LedgerEntry } from './ledger.js';
import { verifyOverRounds } from './verify-document.js';

/**
 * Settles the uncertain (or crashed-inflight) documents of a batch that Profit already has,
 * through the job's `verify:` lookup; returns the ones still to send.
 */
export async function reconcile(
  scope: BatchScope,
  input: { batch: Batch; prior: readonly (LedgerEntry | undefined)[] },
  context: ExecutorContext,
): Promise<Batch> {
  const { batch, prior } = input;
  const verifier = scope.verifier;
  if (!verifier) return batch;
  const toSend: Batch[number][] = [];
  for (const [i, doc] of batch.entries()) {
    const entry = prior[i];
    if (entry?.state !== 'uncertain' && entry?.state !== 'inflight') {
      toSend.push(doc);
      continue;
    }
    // No lookup before the send time + verify.delay, then at growing waits; sent again only
    // when every round came back empty (AFAS may still be working on the request).
    const sentAt = Date.parse(entry.sentAt ?? entry.at ?? '');
    const outcome = await verifyOverRounds(doc, context, {
      verifier,
      classify: scope.classify,
      policy: scope.policy,
      sentAt: Number.isNaN(sentAt) ? Date.now() : sentAt,
      delayMs: scope.verifyDelayMs,
      rounds: scope.verifyRounds,
      ...(scope.random ? { random: scope.random } : {}),
    });
    if (outcome.found === true) {
      await scope.delivery.delivered([doc], [outcome.result]);
      const { sent: _sent, records: _records, error: _error, ...rest } = entry;
      await scope.ledger.write([
        { ...rest, state: 'done', result: outcome.result, resultScope: 'lookup', at: now() },
      ]);
      scope.emit({ type: 'settled', state: 'done', keys: [doc.key], documents: [doc], sent: true });
    } else if (outcome.found === false) {
      toSend.push(doc);
    } else {
      await scope.ledger.write([
        {
          ...entry,
          state: 'uncertain',
          error: outcome.error,
          at: now(),
          sent: doc.element,
          records: [...doc.records],
        },
      ]);
      scope.emit({
        type: 'settled',
        state: 'uncertain',
        keys: [doc.key],
        error: outcome.error,
        documents: [doc],
        sent: true,
      });
      scope.onUncertain?.([doc]);
    }
  }
  return toSend;
}
