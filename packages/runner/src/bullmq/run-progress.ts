import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type ProgressFigures, RecentRate } from '../run-stats.js';
import { type ChunkResult, DEFAULT_QUEUES } from './chunk-jobs.js';
import { chunkName } from './finalise-run.js';
import type { KoppelKeys } from './keys.js';
import type { RemoteRunMeta } from './redis-run-store.js';

/** Where a submitted run that has not been finalised stands. */
export interface RunProgress {
  /** The session was finalised (its report is in the run meta). */
  finalised: boolean;
  /** Chunks of the session not processed yet (waiting, delayed, or held by a worker), by short name (`c3`). */
  pendingChunks: string[];
  /** Chunk workers connected to the deployment now. */
  workers: number;
  /**
   * Set when the run cannot progress: chunks are left and no worker is connected (a worker
   * killed and not replaced). The counts so far are partial.
   */
  incomplete?: string;
  /**
   * Where the session stands (documents settled of those submitted, the rate of the chunks
   * finished in the last minute, retries and 503 pauses of finished chunks, a pause now);
   * absent once finalised.
   */
  figures?: ProgressFigures;
}

export interface RunProgressOptions {
  redis: Redis;
  keys: KoppelKeys;
  /** Also read the session's figures (`koppel status RUN`); default false. */
  figures?: boolean;
}

/** Window of the rate of a submitted run: chunks (100 documents by default) finish in steps. */
const CHUNK_RATE_WINDOW_MS = 60_000;

/**
 * Reads the progress of a run from BullMQ: its run job's unprocessed children and the workers
 * connected to the chunk queue. `koppel status` and `koppel submit --wait` say INCOMPLETE, and
 * name the chunks, instead of presenting the partial counts as the run's result.
 */
export async function runProgress(
  meta: RemoteRunMeta,
  { redis, keys, figures }: RunProgressOptions,
): Promise<RunProgress> {
  const finalised = meta.status !== 'running' && meta.sessions.at(-1)?.endedAt !== undefined;
  if (finalised) return { finalised, pendingChunks: [], workers: 0 };
  const runs = new Queue(DEFAULT_QUEUES.runs, { connection: redis, prefix: keys.bull });
  const chunks = new Queue(DEFAULT_QUEUES.chunks, { connection: redis, prefix: keys.bull });
  try {
    const job = await runs.getJob(meta.runId);
    const pending: string[] = [];
    const processed = new Map<string, Partial<ChunkResult>>();
    if (job) {
      let cursor = 0;
      do {
        const page = await job.getDependencies({ unprocessed: { cursor, count: 1000 } });
        for (const child of page.unprocessed ?? []) {
          const id = child.slice(child.lastIndexOf(':') + 1);
          if (!id.endsWith('-seal')) pending.push(chunkName(meta.runId, id));
        }
        cursor = page.nextUnprocessedCursor ?? 0;
      } while (cursor !== 0);
      while (figures) {
        const page = await job.getDependencies({ processed: { cursor, count: 1000 } });
        for (const [child, value] of Object.entries(page.processed ?? {})) {
          processed.set(child.slice(child.lastIndexOf(':') + 1), parseResult(value));
        }
        cursor = page.nextProcessedCursor ?? 0;
        if (cursor === 0) break;
      }
    }
    const workers = await chunks.getWorkersCount();
    const progress: RunProgress = {
      finalised,
      pendingChunks: pending,
      workers,
      ...(figures ? { figures: await sessionFigures(meta, { redis, keys, chunks, processed }) } : {}),
    };
    if (pending.length > 0 && workers === 0) {
      const shown = pending.slice(0, 10).join(', ');
      const more = pending.length > 10 ? ` and ${pending.length - 10} more` : '';
      progress.incomplete = `INCOMPLETE: ${pending.length} chunk(s) of run ${meta.runId} not processed (${shown}${more}) and no \`koppel worker\` is connected; the counts so far are partial, not the run's result. Start a worker and the run continues`;
    }
    return progress;
  } finally {
    await Promise.allSettled([runs.close(), chunks.close()]);
  }
}

const parseResult = (value: unknown): Partial<ChunkResult> => {
  if (typeof value !== 'string') return (value ?? {}) as Partial<ChunkResult>;
  try {
    return (JSON.parse(value) ?? {}) as Partial<ChunkResult>;
  } catch {
    return {};
  }
};

const settledOf = (result: Partial<ChunkResult>): number =>
  (result.done ?? 0) + (result.rejected ?? 0) + (result.uncertain ?? 0);

/**
 * The session's figures: settled documents by the ledger of those submitted, the rate of the
 * session's chunks finished in the window (BullMQ's completed set holds their finish times),
 * retries and 503 waits of the finished chunks, and the environment's 503 pause now.
 */
async function sessionFigures(
  meta: RemoteRunMeta,
  options: { redis: Redis; keys: KoppelKeys; chunks: Queue; processed: Map<string, Partial<ChunkResult>> },
): Promise<ProgressFigures> {
  const now = Date.now();
  const startedAt = Date.parse(meta.sessions.at(-1)?.startedAt ?? meta.createdAt);
  const counts = meta.counts ?? {};
  const settled =
    (counts.done ?? 0) + (counts.rejected ?? 0) + (counts.uncertain ?? 0) - (counts.inflight ?? 0);
  const rate = new RecentRate({ windowMs: CHUNK_RATE_WINDOW_MS, startedAt });
  const finished = await options.redis.zrangebyscore(
    options.chunks.toKey('completed'),
    now - CHUNK_RATE_WINDOW_MS,
    '+inf',
    'WITHSCORES',
  );
  const session = `${meta.runId}-s${meta.session}-`;
  for (let i = 0; i + 1 < finished.length; i += 2) {
    const id = finished[i] ?? '';
    const result = options.processed.get(id);
    if (id.startsWith(session) && result) rate.add(settledOf(result), Number(finished[i + 1]));
  }
  let retries = 0;
  let pauses = 0;
  for (const [id, result] of options.processed) {
    if (!id.startsWith(session)) continue;
    retries += result.retries ?? 0;
    pauses += result.waits ?? 0;
  }
  const paused = await options.redis.pttl(options.keys.gate(meta.environment).pause);
  return {
    // Documents an earlier run delivered are skipped and never reach this run's ledger.
    done: Math.max(0, Math.min(settled + (meta.submittedTally?.skippedDelivered ?? 0), meta.documents)),
    total: meta.documents,
    unit: 'documents',
    rate: rate.rate(now),
    windowMs: rate.windowMs,
    rejected: counts.rejected ?? 0,
    uncertain: Math.max(0, (counts.uncertain ?? 0) - (counts.inflight ?? 0)),
    retrying: 0,
    retries,
    pauses,
    ...(paused > 0 ? { pausedMs: paused } : {}),
    elapsedMs: now - startedAt,
  };
}
