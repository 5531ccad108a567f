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

/** Lookups of an uncertain record before it may be sent again (`verify.rounds`); default 3. */
export const DEFAULT_VERIFY_ROUNDS = 3;

/**
 * When the lookups of a record sent at `sentAt` (epoch ms) may be made: round `i` (0-based) no
 * earlier than `sentAt + delay × 2^i` (delay, 2×delay, 4×delay, …). The record is sent again
 * only after every round came back empty, so the last lookup is at least
 * `delay × 2^(rounds−1)` after the send (the settle window). docs/operations.md, "Uncertain records".
 */
export function lookupTimes(sentAt: number, options: { delayMs: number; rounds: number }): number[] {
  const rounds = Math.max(1, Math.floor(options.rounds));
  return Array.from({ length: rounds }, (_, i) => sentAt + options.delayMs * 2 ** i);
}

/** How the lookups over the rounds ended: `found`, `missing` (every round empty), or `unknown`. */
export type RoundsOutcome =
  | { found: true; result: SinkResult; round: number }
  | { found: false; rounds: number }
  | { found: 'unknown'; error: string };

/**
 * Looks an uncertain document up over the verify rounds (see `lookupTimes`), waiting for each
 * round's time; stops at the first lookup that finds it. A lookup that fails (after its own
 * retries) or a stop leaves the record uncertain: it is never sent again on a failed lookup.
 */
export async function verifyOverRounds(
  document: PipelineDocument,
  context: ExecutorContext,
  options: {
    verifier: Verifier;
    classify: Classify;
    policy: RetryPolicy;
    /** Epoch ms the request carrying the record was sent. */
    sentAt: number;
    delayMs: number;
    rounds: number;
    random?: () => number;
    now?: () => number;
  },
): Promise<RoundsOutcome> {
  const now = options.now ?? Date.now;
  const times = lookupTimes(options.sentAt, options);
  for (const [round, time] of times.entries()) {
    const wait = time - now();
    if (wait > 0) {
      try {
        await sleep(wait, context.signal);
      } catch {
        return { found: 'unknown', error: 'stopped before the lookup' };
      }
    }
    const outcome = await verifyDocument(document, context, options);
    if (outcome.found === true) return { ...outcome, round };
    if (outcome.found === 'unknown') return outcome;
  }
  return { found: false, rounds: times.length };
}
