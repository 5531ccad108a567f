import type { DeliveryMode, RejectsSource } from '@koppel/core';
import type { Redis } from 'ioredis';
import type { RunFiles } from '../run-report.js';
import type { OutputPaths } from '../run-spec.js';
import type { RunMeta } from '../run-store.js';
import type { ChunkResult } from './chunk-jobs.js';
import type { KoppelKeys } from './keys.js';
import { RedisLedger } from './redis-ledger.js';
import type { SessionTally } from './session-tally.js';

/** A run submitted to Redis: the local run model plus what workers need to pick it up. */
export interface RemoteRunMeta extends RunMeta {
  /** Where the run executes. */
  executor: 'bullmq';
  /** Gate name of the AFAS environment (its base URL). */
  environment: string;
  /** Requests in flight to the environment at most (`run.concurrency`). */
  concurrency: number;
  /** Submissions so far (1 for the first). */
  session: number;
  /** Documents the last submission saw in the input (enqueued, skipped or rejected before sending). */
  documents: number;
  /** Chunks enqueued by the last submission. */
  chunks: number;
  /** Send uncertain records again without a lookup (`--resend-uncertain`). */
  resendUncertain: boolean;
  /** The job has a `verify:` lookup (what uncertain.jsonl advises). */
  verify?: boolean;
  /** The job's delivery identity and mode (what earlier runs delivered decides what is sent). */
  delivery?: { environment: string; connector: string; scope: string; mode: DeliveryMode };
  /** The finaliser's one-paragraph summary of the last session. */
  summary?: string;
  /** 0 all done, 2 some rejected, 1 stopped/incomplete; set when the session is finalised. */
  exitCode?: 0 | 1 | 2;
  /** The input's format (CSV dialect and columns, or JSON encoding), for the rejects file. */
  rejectsSource?: RejectsSource;
  /** Extension of the rejects file (the input's format). */
  rejectsExtension?: string;
  /** The job's `output:` paths (absolute), when it has them. */
  output?: OutputPaths;
  /** Where the finaliser writes results, rejects and report (set at submit). */
  files?: RunFiles;
  /** What the submitting process settled itself this session (rejected while mapping, skipped as settled before). */
  submitted?: ChunkResult;
  /** The chunks of this session added up (set by the finaliser). */
  totals?: ChunkResult;
  /** What the submitter of this session read and settled itself (the report's identity). */
  submittedTally?: SessionTally;
  /** The whole session's identity: the submitter's part plus the enqueued documents by the ledger (set by the finaliser). */
  tally?: SessionTally;
  /** Chunks of this session not processed when it ended, and why (names them for status and the summary). */
  unprocessed?: string;
}

/**
 * Runs in Redis, read like the local RunStore (`list`, `read`), with counts taken live from the
 * run's ledger, so `koppel status` shows a running run as it progresses.
 */
export class RedisRunStore {
  readonly #redis: Redis;
  readonly #keys: KoppelKeys;

  constructor(redis: Redis, keys: KoppelKeys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  async write(meta: RemoteRunMeta): Promise<void> {
    await this.#redis
      .multi()
      .set(this.#keys.run(meta.runId), JSON.stringify(meta))
      .zadd(this.#keys.runs(), String(Date.parse(meta.createdAt)), meta.runId)
      .exec();
  }

  /** The run's meta with live counts, or undefined when Redis has no such run. */
  async read(runId: string): Promise<RemoteRunMeta | undefined> {
    const text = await this.#redis.get(this.#keys.run(runId));
    if (text === null) return undefined;
    const meta = JSON.parse(text) as RemoteRunMeta;
    const counts = await new RedisLedger(this.#redis, this.#keys, runId).counts();
    const settled = counts.done + counts.rejected + counts.uncertain + counts.inflight;
    meta.counts = {
      done: counts.done,
      rejected: counts.rejected,
      uncertain: counts.uncertain + counts.inflight,
      pending: Math.max(counts.pending, meta.documents - settled),
      inflight: counts.inflight,
    };
    return meta;
  }

  /** Every run, oldest first. */
  async list(): Promise<RemoteRunMeta[]> {
    const ids = await this.#redis.zrange(this.#keys.runs(), '0', '-1');
    const metas = await Promise.all(ids.map((id) => this.read(id)));
    return metas.filter((meta): meta is RemoteRunMeta => meta !== undefined);
  }

  /** Changes a stored run in place (read, modify, write; finalisers of one run do not overlap). */
  async update(runId: string, change: (meta: RemoteRunMeta) => void): Promise<RemoteRunMeta | undefined> {
    const text = await this.#redis.get(this.#keys.run(runId));
    if (text === null) return undefined;
    const meta = JSON.parse(text) as RemoteRunMeta;
    change(meta);
    await this.#redis.set(this.#keys.run(runId), JSON.stringify(meta));
    return meta;
  }

  /** Records the first fatal error of a run; later ones are ignored. Returns the one that counts. */
  async stop(
    runId: string,
    error: { name: string; message: string },
  ): Promise<{ name: string; message: string }> {
    const key = this.#keys.stop(runId);
    await this.#redis.set(key, JSON.stringify(error), 'NX');
    return (await this.stopped(runId)) ?? error;
  }

  /** Why the run stopped, if it did. */
  async stopped(runId: string): Promise<{ name: string; message: string } | undefined> {
    const text = await this.#redis.get(this.#keys.stop(runId));
    return text === null ? undefined : (JSON.parse(text) as { name: string; message: string });
  }

  /** Releases the overlap lock of a scheduled job if this run holds it. */
  async releaseJobLock(jobName: string, runId: string): Promise<void> {
    await this.#redis.eval(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
      1,
      this.#keys.jobLock(jobName),
      runId,
    );
  }

  /** Clears the stop mark (a new session resumes the run). */
  async clearStop(runId: string): Promise<void> {
    await this.#redis.del(this.#keys.stop(runId));
  }
}
