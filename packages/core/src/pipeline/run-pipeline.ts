import { createBatchHandler } from './batch-handler.js';
import { type BatchSizer, batchSizerOf } from './batch-sizer.js';
import { batchesOf } from './batches.js';
import type { Classify } from './decision.js';
import type { RunDelivery } from './delivery.js';
import { deliveryDecision } from './delivery-writer.js';
import type { Batch, MappedItem, PipelineDocument } from './document.js';
import { RunStoppedError } from './errors.js';
import type { Executor } from './executor.js';
import type { Ledger } from './ledger.js';
import type { PipelineEvent, PipelineListener } from './pipeline-event.js';
import type { RetryPolicy } from './retry-policy.js';
import type { Sink, Verifier } from './sink.js';
import { DEFAULT_VERIFY_ROUNDS } from './verify-document.js';

export interface PipelineOptions {
  /** Mapped source: documents to send and pre-validation rejects, in source order. */
  items: AsyncIterable<MappedItem>;
  ledger: Ledger;
  sink: Sink;
  executor: Executor;
  classify: Classify;
  /** Retry budget and backoff (`run.retry`); defaults to DEFAULT_RETRY_POLICY. */
  retry?: Partial<RetryPolicy>;
  /** Documents per request (`run.batch`): a number, `auto`, or a custom sizer; default 1. */
  batch?: number | 'auto' | BatchSizer;
  /** The job's `verify:` lookup for uncertain records; without it they are held. */
  verifier?: Verifier;
  /** Sends uncertain records again without a lookup (`--resend-uncertain`); default false. */
  resendUncertain?: boolean;
  /** `verify.delay` in ms: no lookup of an uncertain record before its send time plus this; default 5000. */
  verifyDelayMs?: number;
  /** `verify.rounds`: lookups at delay, 2×delay, 4×delay, … before an uncertain record is sent again; default 3. */
  verifyRounds?: number;
  /** Session number of this invocation (ledger entries and results name it); default 1. */
  session?: number;
  /**
   * Documents that became uncertain kept in memory for the lookups at the end of the run; beyond
   * it they are held (still uncertain in the ledger, looked up when the run is resumed), so an
   * outage does not make memory grow with the input; default 10000.
   */
  retainUncertain?: number;
  /**
   * What earlier runs delivered to this environment (delivery store, scope, mode): a record it
   * has is skipped as delivered, sent again when it changed (mode `changed`), or looked up when
   * its earlier send never settled. Without it, only this run's ledger de-duplicates.
   */
  delivery?: RunDelivery;
  /** Stops taking work when aborted (Ctrl-C); requests in flight finish. */
  signal?: AbortSignal;
  listener?: PipelineListener;
}

export interface PipelineOutcome {
  /** Why the run stopped early: a fatal error, or `aborted` by the signal; undefined when it ran to the end. */
  stopped?: RunStoppedError | 'aborted';
  /** Keys of uncertain records still unsettled (no `verify:`, or the lookup failed). */
  held: string[];
}

/**
 * The pipeline composer: mapped documents -> ledger check -> batches -> executor -> sink.
 * A record that is `done` or `rejected` is skipped; an `uncertain` one is looked up (verify),
 * resent (`resendUncertain`) or held. Records that became uncertain in this run are looked up
 * once more at the end when the job has a `verify:`.
 */
export async function runPipeline(options: PipelineOptions): Promise<PipelineOutcome> {
  const { ledger, signal } = options;
  const sizer = toSizer(options.batch);
  const listener: PipelineListener = (event: PipelineEvent) => {
    sizer.observe?.(event);
    options.listener?.(event);
  };
  const uncertain: PipelineDocument[] = [];
  const held: string[] = [];
  const handler = createBatchHandler({
    sink: options.sink,
    ledger,
    classify: options.classify,
    retry: options.retry,
    listener,
    verifier: options.verifier,
    ...(options.verifyDelayMs !== undefined ? { verifyDelayMs: options.verifyDelayMs } : {}),
    ...(options.verifyRounds !== undefined ? { verifyRounds: options.verifyRounds } : {}),
    ...(options.session !== undefined ? { session: options.session } : {}),
    ...(options.delivery ? { delivery: options.delivery } : {}),
    onUncertain: (batch) => {
      for (const document of batch) {
        if (uncertain.length < (options.retainUncertain ?? 10_000)) uncertain.push(document);
        else held.push(document.key);
      }
    },
  });

  async function* documents(): AsyncGenerator<PipelineDocument> {
    const reject = async (
      key: string,
      records: PipelineDocument['records'],
      message: string,
    ): Promise<void> => {
      const [entry] = await ledger.get([key]);
      if (entry && entry.state !== 'pending') {
        // Settled before, or possibly stored (uncertain): a mapping reject never overwrites that.
        listener({ type: 'skipped', state: entry.state, keys: [key] });
        return;
      }
      const at = new Date().toISOString();
      await ledger.write([
        { key, state: 'rejected', attempts: 0, error: message, records: [...records], at },
      ]);
      listener({ type: 'settled', state: 'rejected', keys: [key], error: message });
    };
    try {
      for await (const item of options.items) {
        if (signal?.aborted) return;
        // Duplicate keys are rejects already (UniqueKeys in the mapping stage, under `${key} (line N)`).
        if ('reject' in item) {
          await reject(item.reject.key, item.reject.records, item.reject.message);
          continue;
        }
        const document = item.document;
        const [entry] = await ledger.get([document.key]);
        let state = entry?.state ?? 'pending';
        if ((state === 'pending' || state === 'done') && options.delivery) {
          // What was delivered to this environment decides: skipped as delivered, sent (again when
          // changed or forgotten with `koppel state forget`), or looked up when never settled.
          const verdict = await deliveryDecision({ delivery: options.delivery, ledger }, document, state);
          if (verdict === 'skip') {
            listener({ type: 'skipped', state: 'delivered', keys: [document.key], documents: [document] });
            continue;
          }
          if (verdict === 'uncertain') state = 'uncertain';
          if (verdict === 'send') state = 'pending';
        }
        if (state === 'done' || state === 'rejected') {
          listener({ type: 'skipped', state, keys: [document.key], documents: [document] });
          continue;
        }
        if (
          (state === 'uncertain' || state === 'inflight') &&
          !options.verifier &&
          !options.resendUncertain
        ) {
          held.push(document.key);
          listener({ type: 'skipped', state: 'uncertain', keys: [document.key], documents: [document] });
          continue;
        }
        yield document;
      }
    } finally {
      // Nothing to release here: the mapping stage closes its seen keys (UniqueKeys).
    }
  }

  try {
    await options.executor.run(batchesOf(documents(), sizer), handler, { signal });
    // Records that became uncertain are looked up through the handler, which waits for each
    // record's send time + verify.delay and looks it up over the verify rounds before it sends
    // it again; a resend can end uncertain again, so this repeats a few times.
    for (
      let round = 0;
      round < DEFAULT_VERIFY_ROUNDS && uncertain.length > 0 && options.verifier && !signal?.aborted;
      round++
    ) {
      const single = (async function* (): AsyncGenerator<Batch> {
        for (const document of uncertain.splice(0)) yield [document];
      })();
      await options.executor.run(single, handler, { signal });
    }
  } catch (error) {
    if (error instanceof RunStoppedError)
      return { stopped: error, held: [...held, ...uncertain.map((d) => d.key)] };
    throw error;
  }
  held.push(...uncertain.map((document) => document.key));
  return signal?.aborted ? { stopped: 'aborted', held } : { held };
}

function toSizer(batch: PipelineOptions['batch']): BatchSizer {
  return batchSizerOf(batch);
}
