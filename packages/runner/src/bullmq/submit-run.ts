import type { Batch, Executor, MappedItem, PipelineDocument } from '@koppel/core';
import { openJobSource, runPipeline } from '@koppel/core';
import { FlowProducer, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { loadRunJob } from '../job-extras.js';
import { prepareJobRun } from '../prepare-job-run.js';
import { rejectsSourceOf } from '../rejects-source.js';
import { identityHash, makeRunId, runIdentity } from '../run-id.js';
import { RunStats } from '../run-stats.js';
import { DEFAULT_QUEUES } from './chunk-jobs.js';
import { chunkCounter, controlTotalsOf } from './chunk-runtime.js';
import { BullmqOptionsError, RunInProgressError } from './errors.js';
import { runDeliveryOf } from './job-runtimes.js';
import type { KoppelKeys } from './keys.js';
import { RedisDeliveryStore } from './redis-delivery-store.js';
import { RedisLedger } from './redis-ledger.js';
import { RedisRunStore, type RemoteRunMeta } from './redis-run-store.js';
import { RunFlow } from './run-flow.js';
import { remoteRunFiles } from './run-outputs.js';
import { submittedTally } from './session-tally.js';

export interface SubmitOptions {
  redis: Redis;
  keys: KoppelKeys;
  /** Environment for `${VAR}` in the job; default process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * File read instead of the job's source (`koppel submit --input`, e.g. a fixed rejects file),
   * relative to the working directory; its error columns are ignored. Default: the job's.
   */
  input?: string;
  /** Start a new run instead of resuming the last one of this job and input; default false. */
  newRun?: boolean;
  /** Workers send uncertain records again without a lookup; default false. */
  resendUncertain?: boolean;
  /** Documents per chunk (the unit a worker takes and hands back); default 100. */
  chunkSize?: number;
  /** Largest chunk in bytes of JSON; default 4 MB. */
  chunkBytes?: number;
  /** Run id to use instead of the job + input identity (schedulers); default derived. */
  runId?: string;
}

export interface SubmitResult {
  runId: string;
  session: number;
  /** Documents read from the input (enqueued, settled before, rejected before sending). */
  documents: number;
  /** Documents enqueued for the workers. */
  enqueued: number;
  chunks: number;
  /** Records skipped because an earlier run (any folder, any executor on this Redis) delivered them. */
  delivered: number;
}

/**
 * `koppel submit`: maps the input here (the ledger skips what earlier sessions settled, records
 * the mapping refused are rejected at once) and enqueues the rest as one flow: the run job with
 * chunk children carrying the documents. Same job + same input = same run id, so submitting again
 * resumes. Refuses while the previous session of the run is still going.
 */
export async function submitRun(jobFile: string, options: SubmitOptions): Promise<SubmitResult> {
  const chunkSize = options.chunkSize ?? 100;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new BullmqOptionsError(`Expected --chunk-size to be an integer >= 1, got \`${chunkSize}\``);
  }
  const chunkBytes = options.chunkBytes ?? 4 * 1024 * 1024;
  const env = options.env ?? process.env;
  const { redis, keys } = options;
  const input = options.input === undefined ? {} : { input: options.input };
  const spec = await prepareJobRun(jobFile, { env, ...input });
  // The input's format goes into the run meta, so the finaliser writes the rejects file from Redis.
  const runJob = await loadRunJob(jobFile, { env, ...input });
  const rejectsSource = rejectsSourceOf((await openJobSource(runJob.loaded)).records, runJob.input);
  const flow = new FlowProducer({ connection: redis, prefix: keys.bull });
  const chunks = new Queue(DEFAULT_QUEUES.chunks, { connection: redis, prefix: keys.bull });
  const runs = new Queue(DEFAULT_QUEUES.runs, { connection: redis, prefix: keys.bull });
  try {
    const identity = await runIdentity(spec.jobFile, spec.inputFile);
    const hash = identityHash(identity);
    const runId = options.runId ?? makeRunId(spec.jobName, hash, options.newRun === true);
    const store = new RedisRunStore(redis, keys);
    const previous = await store.read(runId);
    const job = await runs.getJob(runId);
    const state = await job?.getState();
    if (job && state !== 'completed' && state !== 'failed') {
      throw new RunInProgressError(
        `Run ${runId} is still going (its run job is ${state}); follow it with \`koppel status ${runId}\` and submit again once it ends`,
      );
    }
    // The previous session is finalised: its jobs may go (the ledger keeps what was done).
    await job?.remove({ removeChildren: true });
    await store.clearStop(runId);
    // No worker sends for the run now: what was in flight when the last session ended is uncertain.
    if (previous) await new RedisLedger(redis, keys, runId).recover();
    const session = (previous?.session ?? 0) + 1;
    const now = new Date().toISOString();
    const meta: RemoteRunMeta = {
      runId,
      job: identity.job,
      jobName: spec.jobName,
      input: identity.input,
      identity: hash,
      createdAt: previous?.createdAt ?? now,
      status: 'running',
      sessions: [...(previous?.sessions ?? []), { startedAt: now, pid: process.pid }],
      executor: 'bullmq',
      environment: spec.environment ?? 'default',
      concurrency: spec.concurrency ?? 8,
      session,
      documents: 0,
      chunks: 0,
      resendUncertain: options.resendUncertain === true,
      verify: spec.verifier !== undefined,
      ...(spec.delivery ? { delivery: spec.delivery } : {}),
      rejectsSource,
      ...(spec.rejectsExtension ? { rejectsExtension: spec.rejectsExtension } : {}),
      ...(spec.output ? { output: spec.output } : {}),
    };
    meta.files = remoteRunFiles(meta, keys);
    await store.write(meta);
    const delivery = runDeliveryOf(meta, new RedisDeliveryStore(redis, keys));
    const runFlow = new RunFlow({ flow, chunks, keys, queues: DEFAULT_QUEUES, runId, session });
    await runFlow.start();
    let documents = 0;
    let enqueued = 0;
    // What this process settles itself (rejected while mapping, skipped as settled before): part of the session's report.
    const { result: submitted, listener: count } = chunkCounter();
    const stats = new RunStats();
    const enqueue: Executor = {
      async run(batches: AsyncIterable<Batch>): Promise<void> {
        let pending: PipelineDocument[] = [];
        let bytes = 0;
        for await (const batch of batches) {
          for (const document of batch) {
            const size = Buffer.byteLength(JSON.stringify(document));
            if (pending.length > 0 && bytes + size > chunkBytes) {
              await runFlow.add([{ documents: pending }]);
              pending = [];
              bytes = 0;
            }
            pending.push(document);
            bytes += size;
            enqueued++;
            if (pending.length >= chunkSize) {
              await runFlow.add([{ documents: pending }]);
              pending = [];
              bytes = 0;
            }
          }
        }
        if (pending.length > 0) await runFlow.add([{ documents: pending }]);
      },
    };
    try {
      const ledger = new RedisLedger(redis, keys, runId);
      await runPipeline({
        items: stats.countRead(placed(spec.items(), ledger)),
        ledger,
        sink: spec.sink,
        executor: enqueue,
        classify: spec.classify,
        batch: 1,
        resendUncertain: options.resendUncertain === true,
        ...(spec.verifier ? { verifier: spec.verifier } : {}),
        ...(delivery ? { delivery } : {}),
        listener: (event) => {
          if (event.type === 'skipped' || event.type === 'settled') documents += event.keys.length;
          count(event);
          stats.listener(event);
        },
      });
    } finally {
      documents += enqueued;
      const totals = controlTotalsOf(stats);
      if (totals) submitted.controlTotals = totals;
      await store.update(runId, (stored) => {
        stored.documents = documents;
        stored.chunks = runFlow.added;
        stored.submitted = submitted;
        stored.submittedTally = submittedTally(stats, enqueued);
        delete stored.tally;
      });
      await runFlow.seal();
    }
    return { runId, session, documents, enqueued, chunks: runFlow.added, delivered: stats.skippedDelivered };
  } finally {
    await Promise.allSettled([flow.close(), chunks.close(), runs.close(), spec.close?.()]);
  }
}

/** The mapped input, each record's place in it noted in the ledger (results follow the input's order). */
async function* placed(items: AsyncIterable<MappedItem>, ledger: RedisLedger): AsyncIterable<MappedItem> {
  let places: { key: string; index: number }[] = [];
  try {
    for await (const item of items) {
      const { key, records } = 'document' in item ? item.document : item.reject;
      places.push({ key, index: records[0]?.origin.index ?? 0 });
      if (places.length >= 500) {
        await ledger.place(places);
        places = [];
      }
      yield item;
    }
  } finally {
    await ledger.place(places);
  }
}
