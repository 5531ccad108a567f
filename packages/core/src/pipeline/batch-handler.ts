import type { Classify, Decision } from './decision.js';
import type { RunDelivery } from './delivery.js';
import { deliveryWriter } from './delivery-writer.js';
import type { Batch } from './document.js';
import { RunStoppedError } from './errors.js';
import type { BatchHandler, ExecutorContext } from './executor.js';
import type { Ledger, LedgerEntry } from './ledger.js';
import type { PipelineListener } from './pipeline-event.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, type RetryPolicy, sleep } from './retry-policy.js';
import type { Sink, SinkResult, SinkResults, Verifier } from './sink.js';
import { DEFAULT_VERIFY_ROUNDS, verifyDocument, verifyOverRounds } from './verify-document.js';

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

/** What a request returned, with its scope (see LedgerEntry.resultScope). */
interface SinkAnswer {
  scope: 'element' | 'request' | 'none';
  results: SinkResult[];
  request?: SinkResult;
}

function answerOf(value: SinkResults, count: number): SinkAnswer {
  const results = Array.from({ length: count }, (_, i) => value[i] ?? {});
  if (results.some((r) => Object.keys(r).length > 0)) return { scope: 'element', results };
  if (value.requestResult && count > 1) return { scope: 'request', results, request: value.requestResult };
  return { scope: 'none', results };
}

const now = (): string => new Date().toISOString();

/**
 * The shared per-batch policy every executor runs: `inflight` durably before the request,
 * then done / retry with backoff / wait (pausing the environment) / bisect and reject /
 * uncertain / stop, as the classifier decides. Only `stop` throws.
 */
export function createBatchHandler(options: BatchHandlerOptions): BatchHandler {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const { sink, ledger, classify, listener } = options;
  const emit: PipelineListener = listener ?? (() => {});
  const holdMs = options.uncertainHoldMs ?? 100;
  const session = options.session ?? 1;
  const delayMs = options.verifyDelayMs ?? 5000;
  const rounds = options.verifyRounds ?? DEFAULT_VERIFY_ROUNDS;
  let requests = 0;
  const delivery = deliveryWriter(options.delivery);

  const mark = (batch: Batch, entry: (key: string, attempts: number) => LedgerEntry, attempts: number[]) =>
    ledger.write(batch.map((doc, i) => entry(doc.key, attempts[i] ?? 0)));

  async function handle(input: Batch, context: ExecutorContext): Promise<void> {
    const prior = await ledger.get(input.map((doc) => doc.key));
    const batch = options.verifier ? await reconcile(input, prior, context) : input;
    if (batch.length === 0) return;
    const attempts = batch.map((doc) => prior[input.indexOf(doc)]?.attempts ?? 0);
    let budget = 0;
    for (;;) {
      if (context.signal.aborted) return;
      // `inflight` is on disk before the request can start. It is written before waiting for a
      // request slot (not inside it) so the slot is held only for the request itself; a crash
      // while waiting leaves the records uncertain (looked up, never resent blindly).
      for (let i = 0; i < attempts.length; i++) attempts[i] = (attempts[i] ?? 0) + 1;
      const request = ++requests;
      const inflightAt = now();
      const [, restoreDelivery] = await Promise.all([
        mark(
          batch,
          (key, n) => ({
            key,
            state: 'inflight',
            attempts: n,
            at: inflightAt,
            session,
            request,
          }),
          attempts,
        ),
        delivery.sending(batch),
      ]);
      let started = performance.now();
      let sentAt = inflightAt;
      let sent = false;
      let answer: SinkAnswer;
      try {
        answer = await context.request(async () => {
          // The send time, durable before the request goes out (the slot may have taken a
          // while): a lookup after a crash is never made before it + verify.delay.
          sentAt = now();
          await mark(
            batch,
            (key, n) => ({ key, state: 'inflight', attempts: n, at: sentAt, sentAt, session, request }),
            attempts,
          );
          sent = true;
          started = performance.now();
          try {
            return answerOf(await sink.send(batch), batch.length);
          } catch (error) {
            // A request that timed out or lost its connection may still be running at AFAS:
            // its slot stays taken a moment longer, so the environment's cap holds at the server.
            if (holdMs > 0 && classify(error).action === 'uncertain') await sleep(holdMs);
            throw error;
          }
        });
      } catch (error) {
        if (!sent) {
          // Never sent (stopped while waiting for a slot): back to pending, attempt not counted.
          for (let i = 0; i < attempts.length; i++) attempts[i] = (attempts[i] ?? 1) - 1;
          await mark(batch, (key, n) => ({ key, state: 'pending', attempts: n, at: now() }), attempts);
          await restoreDelivery();
          if (context.signal.aborted) return;
          throw error;
        }
        const decision = classify(error);
        const message = decision.message ?? (error instanceof Error ? error.message : String(error));
        emit({
          type: 'request',
          size: batch.length,
          latencyMs: performance.now() - started,
          ok: false,
        });
        const keys = batch.map((doc) => doc.key);
        switch (decision.action) {
          case 'wait': {
            const delayMs = decision.delayMs ?? backoffDelay(policy, 1, options.random);
            context.pause(delayMs);
            await mark(
              batch,
              (key, n) => ({ key, state: 'pending', attempts: n, error: message, at: now() }),
              attempts,
            );
            emit({ type: 'wait', keys, delayMs, error: message });
            continue;
          }
          case 'retry': {
            budget++;
            if (budget >= policy.maxAttempts) {
              await restoreDelivery();
              await settleRejected(batch, attempts, {
                ...decision,
                message: `gave up after ${budget} attempts: ${message}`,
              });
              return;
            }
            const delayMs = decision.delayMs ?? backoffDelay(policy, budget, options.random);
            await mark(
              batch,
              (key, n) => ({ key, state: 'pending', attempts: n, error: message, at: now() }),
              attempts,
            );
            emit({ type: 'retry', keys, attempt: budget, delayMs, error: message });
            try {
              await sleep(delayMs, context.signal);
            } catch {
              return;
            }
            continue;
          }
          case 'reject': {
            await restoreDelivery();
            if (batch.length > 1) {
              await mark(batch, (key, n) => ({ key, state: 'pending', attempts: n, at: now() }), attempts);
              emit({ type: 'bisect', size: batch.length, error: message });
              const half = Math.ceil(batch.length / 2);
              await handle(batch.slice(0, half), context);
              await handle(batch.slice(half), context);
              return;
            }
            await settleRejected(batch, attempts, { ...decision, message });
            return;
          }
          case 'uncertain': {
            await ledger.write(
              batch.map((doc, i) => ({
                key: doc.key,
                state: 'uncertain',
                attempts: attempts[i] ?? 0,
                error: message,
                at: now(),
                sentAt,
                session,
                request,
                element: i,
                sent: doc.element,
                records: [...doc.records],
              })),
            );
            await delivery.uncertain(batch);
            emit({ type: 'settled', state: 'uncertain', keys, error: message, documents: batch, sent: true });
            options.onUncertain?.(batch);
            return;
          }
          case 'stop': {
            await restoreDelivery();
            await mark(
              batch,
              (key, n) => ({ key, state: 'pending', attempts: n, error: message, at: now() }),
              attempts,
            );
            throw new RunStoppedError(message, { cause: error });
          }
        }
      }
      emit({
        type: 'request',
        size: batch.length,
        latencyMs: performance.now() - started,
        ok: true,
      });
      const settled = resultsOf(batch, answer);
      const results: SinkResult[] = settled.map((r) => r.result ?? {});
      await delivery.delivered(batch, results);
      const entries: LedgerEntry[] = batch.map((doc, i) => ({
        key: doc.key,
        state: 'done',
        attempts: attempts[i] ?? 0,
        ...settled[i],
        at: now(),
        session,
        request,
        element: i,
      }));
      await ledger.write(entries);
      emit({
        type: 'settled',
        state: 'done',
        keys: batch.map((doc) => doc.key),
        documents: batch,
        sent: true,
      });
      if (answer.scope === 'request' && batch.length > 1) await lookUpKeys(batch, entries, context);
      return;
    }
  }

  /** Settles uncertain documents that Profit already has; returns the ones still to send. */
  async function reconcile(
    batch: Batch,
    prior: (LedgerEntry | undefined)[],
    context: ExecutorContext,
  ): Promise<Batch> {
    const verifier = options.verifier;
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
        classify,
        policy,
        sentAt: Number.isNaN(sentAt) ? Date.now() : sentAt,
        delayMs,
        rounds,
        ...(options.random ? { random: options.random } : {}),
      });
      if (outcome.found === true) {
        await delivery.delivered([doc], [outcome.result]);
        const { sent: _sent, records: _records, error: _error, ...rest } = entry;
        await ledger.write([
          { ...rest, state: 'done', result: outcome.result, resultScope: 'lookup', at: now() },
        ]);
        emit({ type: 'settled', state: 'done', keys: [doc.key], documents: [doc], sent: true });
      } else if (outcome.found === false) {
        toSend.push(doc);
      } else {
        await ledger.write([
          {
            ...entry,
            state: 'uncertain',
            error: outcome.error,
            at: now(),
            sent: doc.element,
            records: [...doc.records],
          },
        ]);
        emit({
          type: 'settled',
          state: 'uncertain',
          keys: [doc.key],
          error: outcome.error,
          documents: [doc],
          sent: true,
        });
        options.onUncertain?.([doc]);
      }
    }
    return toSend;
  }

  async function settleRejected(batch: Batch, attempts: number[], decision: Decision): Promise<void> {
    await ledger.write(
      batch.map((doc, i) => ({
        key: doc.key,
        state: 'rejected',
        attempts: attempts[i] ?? 0,
        error: decision.message ?? 'rejected',
        session,
        ...(decision.profitLogReference ? { profitLogReference: decision.profitLogReference } : {}),
        records: [...doc.records],
        at: now(),
      })),
    );
    emit({
      type: 'settled',
      state: 'rejected',
      keys: batch.map((doc) => doc.key),
      error: decision.message,
      documents: batch,
      sent: true,
    });
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
  async function lookUpKeys(batch: Batch, entries: LedgerEntry[], context: ExecutorContext): Promise<void> {
    const verifier = options.verifier;
    if (!verifier) return;
    const found: LedgerEntry[] = [];
    for (const [i, doc] of batch.entries()) {
      const entry = entries[i];
      if (!entry || context.signal.aborted) break;
      const outcome = await verifyDocument(doc, context, {
        verifier,
        classify,
        policy,
        random: options.random,
      });
      if (outcome.found === true) found.push({ ...entry, result: outcome.result, resultScope: 'lookup' });
    }
    if (found.length > 0) await ledger.write(found);
  }

  return handle;
}
