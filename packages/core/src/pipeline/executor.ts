import type { Batch } from './document.js';

/**
 * What an executor gives the batch handler: the per-environment request gate (in-flight cap and
 * the shared 503 pause) and the run's stop signal.
 */
export interface ExecutorContext {
  /** Aborted when the run stops taking work (Ctrl-C, a fatal error); in-flight requests finish. */
  signal: AbortSignal;
  /**
   * Runs `send` once a request slot of the environment is free and no pause is active; rejects
   * with an AbortError, without calling `send`, when `signal` aborts first.
   */
  request<T>(send: () => Promise<T>): Promise<T>;
  /** Holds every request to the environment (every worker) for `ms` milliseconds from now. */
  pause(ms: number): void;
}

/** Processes one batch to a final ledger state; throwing stops the whole run. */
export type BatchHandler = (batch: Batch, context: ExecutorContext) => Promise<void>;

export interface ExecuteOptions {
  /** Stops taking new batches when aborted; batches already started still finish. */
  signal?: AbortSignal;
}

/**
 * Runs batches through a handler; the pipeline does not know which executor it has
 * (in-process on p-queue, BullMQ on Redis). Contract (see test/run-conformance.test.ts):
 * every batch taken is handled exactly once; requests in flight never exceed the cap;
 * `pause` holds every request; after an abort no new batch starts and `run` resolves once
 * started ones settle; the first handler error aborts intake and `run` rejects with it.
 */
export interface Executor {
  run(batches: AsyncIterable<Batch>, handler: BatchHandler, options?: ExecuteOptions): Promise<void>;
  /** Releases resources; idempotent. */
  close?(): Promise<void>;
}
