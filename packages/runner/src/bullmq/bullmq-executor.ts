import { randomUUID } from 'node:crypto';
import { EventEmitter, once, setMaxListeners } from 'node:events';
import type { Batch, BatchHandler, ExecuteOptions, Executor } from '@koppel/core';
import { FlowProducer, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { QueueNames } from './chunk-jobs.js';
import type { ChunkRuntime } from './chunk-runtime.js';
import { BullmqOptionsError } from './errors.js';
import { KoppelKeys } from './keys.js';
import { KoppelWorker } from './koppel-worker.js';
import { RedisGate } from './redis-gate.js';
import { RunFlow } from './run-flow.js';

export interface BullmqExecutorOptions {
  /** Connection with `maxRetriesPerRequest: null` (see `openRedis`); the caller closes it. */
  redis: Redis;
  /** Deployment key prefix (`KOPPEL_REDIS_PREFIX`). */
  prefix: string;
  /** Requests in flight to the environment at most, over every process sharing it; 1..8, default 8. */
  concurrency?: number;
  /** Chunks this process works on at once; default 2 x concurrency. */
  workers?: number;
  /** Gate name of the AFAS environment (shared cap and 503 pause); default `default`. */
  environment?: string;
  /** Lease of a request slot in ms (a killed process frees its slots after it); default 30000. */
  leaseMs?: number;
}

interface LocalRun {
  handler: BatchHandler;
  abort: AbortController;
  failure?: { error: unknown };
  settled: number;
  finished: Promise<unknown>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The Executor contract on BullMQ: each `run` is a flow (run job + one chunk per batch, batches
 * travelling through Redis), processed by BullMQ workers in this process, with the request cap
 * and the 503 pause held in Redis for every process of the environment. Its queues are private to
 * the executor; `koppel submit` / `koppel worker` use the shared ones for multi-process runs.
 */
export function createBullmqExecutor(options: BullmqExecutorOptions): Executor & { close(): Promise<void> } {
  const concurrency = options.concurrency ?? 8;
  const gate = new RedisGate({
    redis: options.redis,
    keys: new KoppelKeys(options.prefix),
    environment: options.environment ?? 'default',
    concurrency,
    ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
  });
  const workers = options.workers ?? concurrency * 2;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new BullmqOptionsError(`Expected \`workers\` to be an integer >= 1, got \`${workers}\``);
  }
  const keys = new KoppelKeys(options.prefix);
  const id = randomUUID().slice(0, 8);
  const queues: QueueNames = { chunks: `chunks-${id}`, runs: `runs-${id}` };
  const runs = new Map<string, LocalRun>();
  const settledEvents = new EventEmitter();
  let worker: KoppelWorker | undefined;
  let flow: FlowProducer | undefined;
  let chunks: Queue | undefined;
  let runsQueue: Queue | undefined;
  let closing: Promise<void> | undefined;

  const runtimeOf = (local: LocalRun): ChunkRuntime => ({
    gate,
    handler: () => local.handler,
    filter: async (batch) => ({ batch, skipped: 0 }),
    signal: local.abort.signal,
    fail: async (error) => {
      local.failure ??= { error };
      local.abort.abort();
    },
    stopped: async () => local.abort.signal.aborted,
  });

  function start(): void {
    if (worker) return;
    flow = new FlowProducer({ connection: options.redis, prefix: keys.bull });
    chunks = new Queue(queues.chunks, { connection: options.redis, prefix: keys.bull });
    runsQueue = new Queue(queues.runs, { connection: options.redis, prefix: keys.bull });
    worker = new KoppelWorker({
      redis: options.redis,
      keys,
      queues,
      concurrency: workers,
      runtime: async (runId) => {
        const local = runs.get(runId);
        if (!local) throw new BullmqOptionsError(`Chunk of unknown run ${runId} in a private queue`);
        return runtimeOf(local);
      },
      onChunkSettled: (job) => {
        const local = runs.get(job.data.runId);
        if (local) local.settled++;
        settledEvents.emit('settled');
      },
      onRunFinalised: (job, _summary, error) => {
        const local = runs.get(job.data.runId);
        if (!local) return;
        if (error) local.reject(error);
        else local.resolve();
      },
    });
  }

  return {
    async run(
      batches: AsyncIterable<Batch>,
      handler: BatchHandler,
      runOptions: ExecuteOptions = {},
    ): Promise<void> {
      if (closing) throw new BullmqOptionsError('The BullMQ executor is closed');
      start();
      const runId = `x${randomUUID().replace(/-/g, '').slice(0, 16)}`;
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const finished = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      const local: LocalRun = {
        handler,
        abort: new AbortController(),
        settled: 0,
        finished,
        resolve,
        reject,
      };
      setMaxListeners(0, local.abort.signal);
      runs.set(runId, local);
      const onAbort = (): void => local.abort.abort();
      runOptions.signal?.addEventListener('abort', onAbort, { once: true });
      if (runOptions.signal?.aborted) local.abort.abort();
      const runFlow = new RunFlow({
        flow: flow as FlowProducer,
        chunks: chunks as Queue,
        keys,
        queues,
        runId,
        session: 1,
      });
      try {
        await runFlow.start(true);
      } catch (error) {
        runs.delete(runId);
        runOptions.signal?.removeEventListener('abort', onAbort);
        throw error;
      }
      try {
        for await (const batch of batches) {
          if (local.abort.signal.aborted) break;
          await runFlow.add([{ documents: [...batch], sizes: [batch.length] }]);
          while (runFlow.added - local.settled >= workers && !local.abort.signal.aborted) {
            await once(settledEvents, 'settled');
          }
        }
      } finally {
        await runFlow.seal();
        await finished.finally(() => {
          runOptions.signal?.removeEventListener('abort', onAbort);
          runs.delete(runId);
        });
        const job = await runsQueue?.getJob(runId);
        await job?.remove({ removeChildren: true }).catch(() => {});
      }
      if (local.failure) throw local.failure.error;
    },

    close(): Promise<void> {
      closing ??= (async () => {
        await gate.close();
        await Promise.allSettled([worker?.close(), flow?.close()]);
        // The queues are private to this executor: nothing in them outlives it.
        await Promise.allSettled([
          chunks?.obliterate({ force: true }),
          runsQueue?.obliterate({ force: true }),
        ]);
        await Promise.allSettled([chunks?.close(), runsQueue?.close()]);
      })();
      return closing;
    },
  };
}
