import type { Classify } from './decision.js';
import type { PipelineDocument } from './document.js';
import { RunStoppedError } from './errors.js';
import type { ExecutorContext } from './executor.js';
import { backoffDelay, type RetryPolicy, sleep } from './retry-policy.js';
import type { SinkResult, Verifier } from './sink.js';

/** How a lookup of an uncertain record ended. */
export type VerifyOutcome =
  | { found: true; result: SinkResult }
  | { found: false }
  | { found: 'unknown'; error: string };

/**
 * Looks an uncertain document up through the job's `verify:` GetConnector, as a request under
 * the environment gate; transient errors are retried within the budget, fatal ones stop the run.
 */
export async function verifyDocument(
  document: PipelineDocument,
  context: ExecutorContext,
  options: { verifier: Verifier; classify: Classify; policy: RetryPolicy; random?: () => number },
): Promise<VerifyOutcome> {
  for (let attempt = 1; ; attempt++) {
    if (context.signal.aborted) return { found: 'unknown', error: 'stopped before the lookup' };
    try {
      const result = await context.request(() => options.verifier.find(document));
      return result ? { found: true, result } : { found: false };
    } catch (error) {
      if (context.signal.aborted) return { found: 'unknown', error: 'stopped before the lookup' };
      const decision = options.classify(error);
      const message = decision.message ?? (error instanceof Error ? error.message : String(error));
      if (decision.action === 'stop') throw new RunStoppedError(message, { cause: error });
      if (decision.action === 'reject' || attempt >= options.policy.maxAttempts) {
        return { found: 'unknown', error: `verify lookup failed: ${message}` };
      }
      if (decision.action === 'wait') {
        context.pause(decision.delayMs ?? backoffDelay(options.policy, 1, options.random));
        continue;
      }
      try {
        await sleep(
          decision.delayMs ?? backoffDelay(options.policy, attempt, options.random),
          context.signal,
        );
      } catch {
        return { found: 'unknown', error: 'stopped before the lookup' };
      }
    }
  }
}
