import { type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  type ChunkData,
  type ChunkResult,
  chunkBackoff,
  DEFAULT_QUEUES,
  type QueueNames,
  type RunJobData,
  TRIGGERS_QUEUE,
} from './chunk-jobs.js';
import { type ChunkRuntime, emptyChunkResult } from './chunk-runtime.js';
import { finaliseRun, type RunSummary } from './finalise-run.js';
import type { KoppelKeys } from './keys.js';
import { processChunk } from './process-chunk.js';
import { RedisRunStore } from './redis-run-store.js';
import type { TriggerData, TriggerOutcome } from './schedule-job.js';

export interface KoppelWorkerOptions {
  /** Shared connection (`maxRetriesPerRequest: null`); the caller closes it. */
  redis: Redis;
  keys: KoppelKeys;
  /** Resolves what processing a run's chunks needs (once per run; cache it). */
  runtime(runId: string): Promise<ChunkRuntime>;
  /** Queue names; default `chunks` and `runs`. */
  queues?: QueueNames;
  /** Name of this worker, kept on the chunks it takes (BullMQ's `processedBy`); default none. */
  name?: string;
  /** Chunks this process works on at once (each sends one request at a time); default 16. */
  concurrency?: number;
  /** BullMQ job lock in ms: a worker silent this long loses its chunk; default 30000. */
  lockDurationMs?: number;
  /** How often stalled chunks are looked for, in ms; default 30000. */
  stalledIntervalMs?: number;
  /** Also finalise runs (process run jobs); default true. */
  finalise?: boolean;
  /** Processes scheduler firings with this (submits runs); default none. */
  fire?: (job: Job<TriggerData>) => Promise<TriggerOutcome>;
  /** Sees chunk settlements in this process (attached executors count them). */
  onChunkSettled?: (job: Job<ChunkData>) => void;
  /** Sees finalised runs in this process. */
  onRunFinalised?: (job: Job<RunJobData>, summary: RunSummary | undefined, error?: unknown) => void;
  /** Receives worker errors (Redis trouble); default ignored (BullMQ reconnects). */
  onError?: (error: Error) => void;
}

/**
 * A `koppel worker` process's BullMQ side: a chunk worker with `maxStalledCount: 0` (a chunk
 * whose worker died fails instead of being re-run blindly; the run job puts it back from its
 * cursor, the ledger guarding what was sent) and a run worker that finalises runs.
 */
export class KoppelWorker {
  readonly chunks: Worker<ChunkData, ChunkResult>;
  readonly runs: Worker<RunJobData, RunSummary> | undefined;
  readonly triggers: Worker<TriggerData, TriggerOutcome> | undefined;
  readonly #queues: QueueNames;
  readonly #chunksQueue: Queue;
  #closing: Promise<void> | undefined;

  constructor(options: KoppelWorkerOptions) {
    const { redis, keys } = options;
    this.#queues = options.queues ?? DEFAULT_QUEUES;
    const onError = options.onError ?? (() => {});
    this.#chunksQueue = new Queue(this.#queues.chunks, { connection: redis, prefix: keys.bull });
    this.#chunksQueue.on('error', onError);
    const store = new RedisRunStore(redis, keys);
    this.chunks = new Worker<ChunkData, ChunkResult>(
      this.#queues.chunks,
      async (job, token, signal) => {
        if (job.data.seal) return emptyChunkResult();
        const runtime = await options.runtime(job.data.runId);
        try {
          return await processChunk(job, {
            token,
            signal,
            runtime,
            lockKey: keys.jobLockOf(this.#queues.chunks, job.id as string),
          });
        } finally {
          if (!signal?.aborted) options.onChunkSettled?.(job);
        }
      },
      {
        connection: redis,
        prefix: keys.bull,
        ...(options.name ? { name: options.name } : {}),
        concurrency: options.concurrency ?? 16,
        maxStalledCount: 0,
        lockDuration: options.lockDurationMs ?? 30_000,
        stalledInterval: options.stalledIntervalMs ?? 30_000,
        settings: { backoffStrategy: chunkBackoff },
      },
    );
    this.chunks.on('error', onError);
    this.runs =
      options.finalise === false
        ? undefined
        : new Worker<RunJobData, RunSummary>(
            this.#queues.runs,
            async (job, token) => {
              try {
                const summary = await finaliseRun(job, token, {
                  chunks: this.#chunksQueue,
                  redis,
                  keys,
                  store,
                });
                options.onRunFinalised?.(job, summary);
                return summary;
              } catch (error) {
                if ((error as Error)?.name !== 'WaitingChildrenError')
                  options.onRunFinalised?.(job, undefined, error);
                throw error;
              }
            },
            {
              connection: redis,
              prefix: keys.bull,
              concurrency: 4,
              lockDuration: options.lockDurationMs ?? 30_000,
              stalledInterval: options.stalledIntervalMs ?? 30_000,
            },
          );
    this.runs?.on('error', onError);
    const fire = options.fire;
    this.triggers = fire
      ? new Worker<TriggerData, TriggerOutcome>(TRIGGERS_QUEUE, (job) => fire(job), {
          connection: redis,
          prefix: keys.bull,
          concurrency: 1,
        })
      : undefined;
    this.triggers?.on('error', onError);
  }

  /**
   * Stops taking chunks; chunks in progress finish their current batch, save their cursor and go
   * back to the queue for another worker. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.chunks.cancelAllJobs('shutdown');
      const results = await Promise.allSettled([
        this.chunks.close(),
        this.runs?.close(),
        this.#chunksQueue.close(),
      ]);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    })();
    return this.#closing;
  }
}
