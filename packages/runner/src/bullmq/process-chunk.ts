import type { ExecutorContext, PipelineDocument, PipelineListener } from '@koppel/core';
import { type Job, UnrecoverableError, WaitingError } from 'bullmq';
import { RunStats } from '../run-stats.js';
import { type ChunkData, type ChunkResult, cursorOf } from './chunk-jobs.js';
import { type ChunkRuntime, chunkCounter, controlTotalsOf } from './chunk-runtime.js';
import { LedgerFenceError } from './errors.js';

/**
 * Processes one chunk job: batch by batch from the saved cursor, skipping records the ledger has
 * settled. When the worker shuts down (`signal`), it stops between batches, saves the cursor and
 * hands the chunk back (`moveToWait` + WaitingError: no attempt used, another worker resumes at
 * once). A fatal error stops the whole run; the chunk fails without retries.
 */
export interface ProcessChunkOptions {
  /** The worker's lock token of the job (absent in a sandbox without locks). */
  token: string | undefined;
  /** Aborted when the worker shuts down. */
  signal: AbortSignal | undefined;
  runtime: ChunkRuntime;
  /** The Redis key of the job's lock, fenced by every ledger write. */
  lockKey: string;
}

export async function processChunk(
  job: Job<ChunkData, ChunkResult>,
  { token, signal, runtime, lockKey }: ProcessChunkOptions,
): Promise<ChunkResult> {
  const data = job.data;
  const { result, listener: count } = chunkCounter();
  const uncertain: PipelineDocument[] = [];
  const stats = new RunStats();
  const listener: PipelineListener = (event) => {
    count(event);
    stats.listener(event);
  };
  if (runtime.signal.aborted || (await runtime.stopped())) {
    throw new UnrecoverableError(`run ${data.runId} stopped; chunk ${job.id} left for a resume`);
  }
  const abort = signal ? AbortSignal.any([signal, runtime.signal]) : runtime.signal;
  const context: ExecutorContext = {
    signal: abort,
    request: (send) => runtime.gate.request(send, abort),
    pause: (ms) => runtime.gate.pause(ms),
  };
  const handler = runtime.handler(token ? { lockKey, token } : undefined, listener, (batch) =>
    uncertain.push(...batch),
  );
  const documents = data.documents;
  let cursor = cursorOf(job);
  let sizeIndex = data.sizes ? countBatches(data.sizes, cursor) : 0;
  // A chunk taken up again (its worker died, or handed it back) lost the list of what ended
  // uncertain before its cursor: what the ledger has not settled there goes to the closing lookup.
  if (cursor > 0 && runtime.verifyDelayMs !== undefined)
    uncertain.push(...(await runtime.filter(documents.slice(0, cursor))).batch);
  // What the ledger has settled, read once for the rest of the chunk (one round trip, not one a
  // batch): only this execution, holding the chunk's lock, settles its records from here on.
  const pending = new Set((await runtime.filter(documents.slice(cursor))).batch);
  // The cursor write and stop check after a batch travel while the next batch is sent, and are
  // awaited after it: a stop seen by another worker is acted on one batch later, not one round
  // trip sooner on every batch.
  let boundary: Promise<boolean> | undefined;
  while (cursor < documents.length && !abort.aborted) {
    const size = data.sizes ? (data.sizes[sizeIndex] ?? 1) : (runtime.sizer?.size() ?? 1);
    const slice = documents.slice(cursor, cursor + size);
    const batch = slice.filter((document) => pending.has(document));
    result.skipped += slice.length - batch.length;
    if (batch.length > 0) {
      try {
        await handler(batch, context);
      } catch (error) {
        if (error instanceof LedgerFenceError) throw new UnrecoverableError(error.message);
        await runtime.fail(error);
        throw new UnrecoverableError((error as Error)?.message ?? String(error));
      }
    }
    // A handler that saw the abort may have returned before settling its batch: resume at it,
    // unless the ledger says every record of it settled.
    if (abort.aborted && (await runtime.filter(slice)).batch.length > 0) break;
    cursor += size;
    sizeIndex++;
    if (cursor < documents.length) {
      if (boundary && (await boundary)) break;
      boundary = Promise.all([job.updateProgress({ cursor }), runtime.stopped()]).then(([, stop]) => stop);
      boundary.catch(() => {}); // awaited below; a handler error may come first
    }
  }
  const stoppedLate = boundary ? await boundary : false;
  if (cursor >= documents.length) {
    const totals = controlTotalsOf(stats);
    if (totals) result.controlTotals = totals;
    if (uncertain.length === 0 || runtime.verifyDelayMs === undefined) return result;
    return { ...result, uncertainDocuments: uncertain, verifyDelayMs: runtime.verifyDelayMs };
  }
  if (runtime.signal.aborted || stoppedLate || (await runtime.stopped())) {
    // The last cursor write may be a batch behind: a resume starts exactly here.
    await job.updateProgress({ cursor });
    throw new UnrecoverableError(
      `run ${data.runId} stopped; chunk ${job.id} left for a resume at document ${cursor}`,
    );
  }
  await job.updateProgress({ cursor });
  await job.moveToWait(token);
  throw new WaitingError();
}

function countBatches(sizes: readonly number[], cursor: number): number {
  let at = 0;
  let index = 0;
  while (at < cursor && index < sizes.length) at += sizes[index++] ?? 1;
  return index;
}
