import type { Batch, BatchHandler, BatchSizer, PipelineEvent, PipelineListener } from '@koppel/core';
import type { RunStats } from '../run-stats.js';
import type { ChunkResult } from './chunk-jobs.js';
import { mergeControlTotals } from './control-totals.js';
import type { RedisGate } from './redis-gate.js';

/** The BullMQ lock of one chunk execution: `inflight` writes hold only while it is the worker's. */
export interface ChunkFence {
  lockKey: string;
  token: string;
}

/**
 * What a worker needs to process the chunks of one run, resolved once per run per process:
 * the gate of the run's environment, the batch handler (sink, classifier, ledger), the filter
 * that drops records the ledger has settled, and the run's stop state.
 */
export interface ChunkRuntime {
  gate: RedisGate;
  /**
   * A batch handler for one chunk execution, writing through a ledger fenced by its lock;
   * `onUncertain` receives documents that ended uncertain (sent without an answer, or a lookup that failed).
   */
  handler(
    fence: ChunkFence | undefined,
    listener: PipelineListener,
    onUncertain?: (batch: Batch) => void,
  ): BatchHandler;
  /** The documents of a batch still to send (done, rejected and held records removed), and how many were skipped. */
  filter(batch: Batch): Promise<{ batch: Batch; skipped: number }>;
  /** Wait in ms before the run's closing lookup of records that became uncertain; absent: the job has no `verify:`. */
  verifyDelayMs?: number;
  /** Documents per request when the chunk does not say; default 1. */
  sizer?: BatchSizer;
  /** Aborted when this process learns the run stopped. */
  signal: AbortSignal;
  /** Records a fatal handler error for the whole run (first one wins). */
  fail(error: unknown): Promise<void>;
  /** Whether the run stopped (a fatal error in any worker); checked between batches. */
  stopped(): Promise<boolean>;
  /** Releases clients of the run. */
  close?(): Promise<void>;
}

/** A chunk result with every count at zero. */
export function emptyChunkResult(): ChunkResult {
  return {
    done: 0,
    rejected: 0,
    uncertain: 0,
    skipped: 0,
    requests: 0,
    failedRequests: 0,
    retries: 0,
    waits: 0,
    bisections: 0,
  };
}

/** Counts a chunk's pipeline events into its (small) result. */
export function chunkCounter(): { result: ChunkResult; listener: PipelineListener } {
  const result = emptyChunkResult();
  const listener = (event: PipelineEvent): void => {
    switch (event.type) {
      case 'settled':
        result[event.state] += event.keys.length;
        break;
      case 'skipped':
        result.skipped += event.keys.length;
        break;
      case 'request':
        result.requests++;
        if (!event.ok) result.failedRequests++;
        break;
      case 'retry':
        result.retries++;
        break;
      case 'wait':
        result.waits++;
        break;
      case 'bisect':
        result.bisections++;
        break;
    }
  };
  return { result, listener };
}

/** Adds chunk results up (counters, and control totals when any chunk has them). */
export function sumResults(results: readonly Partial<ChunkResult>[]): ChunkResult {
  const total = chunkCounter().result;
  const counters = Object.keys(total) as (keyof Omit<
    ChunkResult,
    'uncertainDocuments' | 'verifyDelayMs' | 'controlTotals'
  >)[];
  for (const result of results) {
    for (const key of counters) total[key] += Number(result[key] ?? 0);
  }
  const totals = results.flatMap((result) => (result.controlTotals ? [result.controlTotals] : []));
  if (totals.length > 0) {
    total.controlTotals = {
      done: mergeControlTotals(totals.map((t) => t.done)),
      rejected: mergeControlTotals(totals.map((t) => t.rejected)),
    };
  }
  return total;
}

/** The control totals of a session's events, when it had any (FiEntries). */
export function controlTotalsOf(stats: RunStats): ChunkResult['controlTotals'] | undefined {
  const totals = stats.controlTotals();
  return totals.done.length + totals.rejected.length > 0 ? totals : undefined;
}
