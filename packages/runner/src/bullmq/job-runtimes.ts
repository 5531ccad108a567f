import { setMaxListeners } from 'node:events';
import { type Batch, batchSizerOf, createBatchHandler, type RunDelivery } from '@koppel/core';
import type { Redis } from 'ioredis';
import { prepareJobRun } from '../prepare-job-run.js';
import type { RunSpec } from '../run-spec.js';
import type { ChunkRuntime } from './chunk-runtime.js';
import { BullmqOptionsError } from './errors.js';
import type { KoppelKeys } from './keys.js';
import { RedisDeliveryStore } from './redis-delivery-store.js';
import { RedisGate } from './redis-gate.js';
import { RedisLedger } from './redis-ledger.js';
import { RedisRunStore, type RemoteRunMeta } from './redis-run-store.js';

export interface JobRuntimesOptions {
  redis: Redis;
  keys: KoppelKeys;
  /** Environment for `${VAR}` in job files (the token lives here, never in Redis); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Lease of a request slot in ms; default 30000 (KOPPEL_GATE_LEASE_MS). */
  leaseMs?: number;
  /**
   * Prepares a run from its job file alone (the documents come from Redis, the input is never
   * read); default `prepareJobRun` with `withoutInput`.
   */
  prepare?: (jobFile: string, env: NodeJS.ProcessEnv, meta: RemoteRunMeta) => Promise<RunSpec>;
}

interface Entry {
  session: number;
  runtime: Promise<ChunkRuntime>;
}

/**
 * What `koppel worker` knows about runs: per run (and session) it prepares the job once from its
 * file (metainfo read through the environment's gate), builds batch handlers over the run's Redis
 * ledger, and shares one gate per AFAS environment among all runs of the process.
 */
export class JobRuntimes {
  readonly #options: JobRuntimesOptions;
  readonly #store: RedisRunStore;
  readonly #runs = new Map<string, Entry>();
  readonly #gates = new Map<string, RedisGate>();

  constructor(options: JobRuntimesOptions) {
    this.#options = options;
    this.#store = new RedisRunStore(options.redis, options.keys);
  }

  /** The runtime of a run's current session. */
  async get(runId: string): Promise<ChunkRuntime> {
    const meta = await this.#store.read(runId);
    if (!meta)
      throw new BullmqOptionsError(`Run ${runId} has no meta in Redis (deleted?); its chunks cannot run`);
    const cached = this.#runs.get(runId);
    if (cached?.session === meta.session) return cached.runtime;
    if (cached) void cached.runtime.then((runtime) => runtime.close?.()).catch(() => {});
    const runtime = this.#create(meta);
    this.#runs.set(runId, { session: meta.session, runtime });
    runtime.catch(() => this.#runs.delete(runId));
    return runtime;
  }

  /** Closes every run's clients and gate; idempotent. */
  async close(): Promise<void> {
    const runs = [...this.#runs.values()];
    this.#runs.clear();
    await Promise.allSettled(runs.map(async (entry) => (await entry.runtime).close?.()));
    await Promise.allSettled([...this.#gates.values()].map((gate) => gate.close()));
    this.#gates.clear();
  }

  #gate(meta: RemoteRunMeta): RedisGate {
    const name = `${meta.environment}|${meta.concurrency}`;
    let gate = this.#gates.get(name);
    if (!gate) {
      gate = new RedisGate({
        redis: this.#options.redis,
        keys: this.#options.keys,
        environment: meta.environment,
        concurrency: meta.concurrency,
        ...(this.#options.leaseMs ? { leaseMs: this.#options.leaseMs } : {}),
      });
      this.#gates.set(name, gate);
    }
    return gate;
  }

  async #create(meta: RemoteRunMeta): Promise<ChunkRuntime> {
    const env = this.#options.env ?? process.env;
    const gate = this.#gate(meta);
    const prepare =
      this.#options.prepare ??
      ((file: string, e: NodeJS.ProcessEnv, m: RemoteRunMeta) => {
        if (!m.rejectsSource)
          throw new BullmqOptionsError(
            `Run ${m.runId} was submitted by an older koppel (no input format in Redis); submit it again`,
          );
        return prepareJobRun(file, { env: e, withoutInput: m.rejectsSource });
      });
    const spec = await gate.request(() => prepare(meta.job, env, meta));
    const ledger = new RedisLedger(this.#options.redis, this.#options.keys, meta.runId);
    const delivery = runDeliveryOf(meta, new RedisDeliveryStore(this.#options.redis, this.#options.keys));
    const store = this.#store;
    const abort = new AbortController();
    setMaxListeners(0, abort.signal);
    const sizer = batchSizerOf(spec.batch);
    const resend = meta.resendUncertain || spec.verifier !== undefined;
    return {
      gate,
      sizer,
      ...(spec.verifier ? { verifyDelayMs: spec.verifyDelayMs ?? 5000 } : {}),
      signal: abort.signal,
      handler: (fence, listener, onUncertain) =>
        createBatchHandler({
          ...(onUncertain ? { onUncertain } : {}),
          sink: spec.sink,
          ledger: fence ? ledger.fenced(fence.lockKey, fence.token) : ledger,
          classify: spec.classify,
          ...(spec.retry ? { retry: spec.retry } : {}),
          ...(spec.verifier ? { verifier: spec.verifier } : {}),
          ...(spec.verifyDelayMs !== undefined ? { verifyDelayMs: spec.verifyDelayMs } : {}),
          ...(spec.verifyRounds !== undefined ? { verifyRounds: spec.verifyRounds } : {}),
          session: meta.session,
          ...(delivery ? { delivery } : {}),
          listener: (event) => {
            sizer.observe?.(event);
            listener(event);
          },
        }),
      async filter(batch: Batch) {
        const entries = await ledger.get(batch.map((doc) => doc.key));
        const keep = batch.filter((_, i) => {
          const state = entries[i]?.state ?? 'pending';
          if (state === 'pending') return true;
          if (state === 'uncertain' || state === 'inflight') return resend;
          return false;
        });
        return { batch: keep, skipped: batch.length - keep.length };
      },
      async fail(error) {
        const name = (error as Error)?.name ?? 'Error';
        const message = (error as Error)?.message ?? String(error);
        await store.stop(meta.runId, { name, message });
        abort.abort();
      },
      async stopped() {
        if (abort.signal.aborted) return true;
        if ((await store.stopped(meta.runId)) === undefined) return false;
        abort.abort();
        return true;
      },
      close: async () => spec.close?.(),
    };
  }
}

/**
 * The delivery side of a submitted run: the deployment's Redis store, the scope and mode its
 * submitter resolved from the job (kept in the run meta, so every worker and the submitter agree).
 */
export function runDeliveryOf(meta: RemoteRunMeta, store: RedisDeliveryStore): RunDelivery | undefined {
  const delivery = meta.delivery;
  if (!delivery) return undefined;
  return {
    store,
    scope: { environment: delivery.environment, connector: delivery.connector, scope: delivery.scope },
    mode: delivery.mode,
    runId: meta.runId,
  };
}
