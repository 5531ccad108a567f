import { backoff, classify } from '@koppel/afas';
import type { ControlTotal, PipelineDocument } from '@koppel/core';
import type { JobsOptions } from 'bullmq';
import type { SessionCounts } from '../run-report.js';

/** Queue of chunk jobs (children of a run). */
export const CHUNKS_QUEUE = 'chunks';
/** Queue of run jobs (flow parents: the run summary). */
export const RUNS_QUEUE = 'runs';
/** Names of the queues a deployment (or one attached executor) uses. */
export interface QueueNames {
  chunks: string;
  runs: string;
}

/** The queues of `koppel submit` / `koppel worker`. */
export const DEFAULT_QUEUES: QueueNames = { chunks: CHUNKS_QUEUE, runs: RUNS_QUEUE };

/** Queue of scheduler triggers (`koppel schedule`). */
export const TRIGGERS_QUEUE = 'triggers';

/** What a chunk job carries: a slice of a run's documents and how far a worker got. */
export interface ChunkData {
  runId: string;
  /** Chunk number within the session. */
  n: number;
  documents: PipelineDocument[];
  /** Documents per request, in order; absent: the worker's batch sizer decides. */
  sizes?: number[];
  /** Index of the first document not yet handled (a worker that stops hands the chunk back here). */
  cursor: number;
  /** The placeholder child that keeps the run open while chunks are still being added. */
  seal?: boolean;
}

/** What a chunk returns (small: it is copied into the run job). */
export interface ChunkResult extends SessionCounts {
  /** Documents that ended uncertain, for the run's closing lookup (only when the job has `verify:`). */
  uncertainDocuments?: PipelineDocument[];
  /** Wait before that lookup, in ms (the job's `verify.delay`). */
  verifyDelayMs?: number;
  /** FiEntries control totals of the documents this chunk settled done / rejected; absent when empty. */
  controlTotals?: { done: ControlTotal[]; rejected: ControlTotal[] };
}

/** The run job (flow parent). */
export interface RunJobData {
  runId: string;
  session: number;
  /** A run of `Executor.run` in one process (no run meta in Redis). */
  attached?: boolean;
}

/**
 * Where a chunk resumes: the cursor is saved as the job's progress (`{ cursor }`, a few bytes)
 * rather than by rewriting the job's data with all its documents after every batch.
 */
export function cursorOf(job: { data: ChunkData; progress: unknown }): number {
  const progress = job.progress as { cursor?: unknown } | null | undefined;
  const saved =
    typeof progress === 'object' && progress !== null && typeof progress.cursor === 'number'
      ? progress.cursor
      : 0;
  return Math.max(job.data.cursor ?? 0, saved);
}

/** BullMQ's failedReason of a chunk whose worker died (stalled with `maxStalledCount: 0`). */
export const STALLED_REASON = /stalled more than allowable limit/;

/** Options of every chunk job: custom backoff, failures do not block the run, kept until finalised. */
export function chunkJobOptions(jobId: string, attempts = 5): JobsOptions {
  return {
    jobId,
    attempts,
    backoff: { type: 'koppel' },
    ignoreDependencyOnFailure: true,
    removeOnComplete: false,
    removeOnFail: false,
    sizeLimit: 32 * 1024 * 1024,
  };
}

const REDIS_TRANSIENT =
  /Connection is closed|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|READONLY|LOADING|MaxRetriesPerRequest/;

/**
 * `settings.backoffStrategy` of chunk workers (`backoff: { type: 'koppel' }`): errors that escape
 * the batch handler are judged by the AFAS client's classifier (a 503 or a network error while
 * preparing the run waits, a lock retries) or are Redis hiccups (retry); anything else is
 * final (-1: the chunk fails now).
 */
export function chunkBackoff(attemptsMade: number, _type?: string, error?: Error): number {
  if (!error) return -1;
  if (REDIS_TRANSIENT.test(`${error.name} ${error.message}`))
    return 1000 + backoff(attemptsMade, { capMs: 30_000 });
  const verdict = classify(error, { attempt: attemptsMade });
  if (verdict.action === 'retry' || verdict.action === 'wait') {
    return Math.max(1, verdict.delayMs ?? backoff(attemptsMade));
  }
  return -1;
}
