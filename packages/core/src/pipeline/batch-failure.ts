import { type BatchScope, markPending } from './batch-scope.js';
import { settleRejected, settleUncertain } from './batch-settle.js';
import type { Decision } from './decision.js';
import type { Batch } from './document.js';
import { RunStoppedError } from './errors.js';
import type { ExecutorContext } from './executor.js';
import { backoffDelay, sleep } from './retry-policy.js';

/** A request that failed after it was sent, as the classifier judged it. */
export interface FailedRequest {
  batch: Batch;
  attempts: number[];
  request: number;
  sentAt: string;
  error: unknown;
  decision: Decision;
  message: string;
  /** Retries taken so far (the `retry` budget); counted up here. */
  retries: { count: number };
  restoreDelivery: () => Promise<void>;
}

/**
 * Does what the classifier decided for a failed request: `again` when the batch is to be sent
 * once more (after a wait or a backoff), `settled` when it is done with (rejected, bisected,
 * uncertain, or the run stopped while backing off). `stop` throws RunStoppedError.
 */
export async function onFailure(
  scope: BatchScope,
  failed: FailedRequest,
  context: ExecutorContext,
): Promise<'again' | 'settled'> {
  const { batch, attempts, decision, message } = failed;
  const keys = batch.map((doc) => doc.key);
  switch (decision.action) {
    case 'wait': {
      const delayMs = decision.delayMs ?? backoffDelay(scope.policy, 1, scope.random);
      context.pause(delayMs);
      await markPending(scope, { batch, attempts }, message);
      scope.emit({ type: 'wait', keys, delayMs, error: message });
      return 'again';
    }
    case 'retry': {
      const budget = ++failed.retries.count;
      if (budget >= scope.policy.maxAttempts) {
        await failed.restoreDelivery();
        await settleRejected(
          scope,
          { batch, attempts },
          {
            ...decision,
            message: `gave up after ${budget} attempts: ${message}`,
          },
        );
        return 'settled';
      }
      const delayMs = decision.delayMs ?? backoffDelay(scope.policy, budget, scope.random);
      await markPending(scope, { batch, attempts }, message);
      scope.emit({ type: 'retry', keys, attempt: budget, delayMs, error: message });
      try {
        await sleep(delayMs, context.signal);
      } catch {
        return 'settled';
      }
      return 'again';
    }
    case 'reject':
      await failed.restoreDelivery();
      if (batch.length > 1) {
        await markPending(scope, { batch, attempts });
        scope.emit({ type: 'bisect', size: batch.length, error: message });
        const half = Math.ceil(batch.length / 2);
        await scope.handle(batch.slice(0, half), context);
        await scope.handle(batch.slice(half), context);
        return 'settled';
      }
      await settleRejected(scope, { batch, attempts }, { ...decision, message });
      return 'settled';
    case 'uncertain':
      await settleUncertain(scope, {
        batch,
        attempts,
        request: failed.request,
        sentAt: failed.sentAt,
        message,
      });
      return 'settled';
    case 'stop':
      await failed.restoreDelivery();
      await markPending(scope, { batch, attempts }, message);
      throw new RunStoppedError(message, { cause: failed.error });
  }
}
