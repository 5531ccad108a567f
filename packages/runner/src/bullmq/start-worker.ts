import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { JobRuntimes } from './job-runtimes.js';
import type { KoppelKeys } from './keys.js';
import { KoppelWorker } from './koppel-worker.js';
import { fireTrigger } from './schedule-job.js';

export interface StartWorkerOptions {
  redis: Redis;
  keys: KoppelKeys;
  /** Name kept on the chunks this worker takes (BullMQ's `processedBy`); default `<host>:<pid>`. */
  name?: string;
  /** Chunks this process works on at once; default 16. */
  concurrency?: number;
  /** Environment for job files and the knobs below; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Receives Redis trouble the worker rides out (reconnects are automatic). */
  onError?: (error: Error) => void;
}

const intFrom = (value: string | undefined): number | undefined =>
  value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;

/**
 * Starts a `koppel worker`: chunk and run workers on the deployment's queues, preparing each
 * run from its job file. Knobs (tests, slow links): KOPPEL_LOCK_DURATION_MS and
 * KOPPEL_STALLED_INTERVAL_MS (default 30000 each: how soon a dead worker's chunk is put back),
 * KOPPEL_GATE_LEASE_MS (default 30000: how soon a dead worker's request slots free up).
 */
export function startWorker(options: StartWorkerOptions): { worker: KoppelWorker; close(): Promise<void> } {
  const env = options.env ?? process.env;
  const leaseMs = intFrom(env.KOPPEL_GATE_LEASE_MS);
  const lockDurationMs = intFrom(env.KOPPEL_LOCK_DURATION_MS);
  const stalledIntervalMs = intFrom(env.KOPPEL_STALLED_INTERVAL_MS);
  const runtimes = new JobRuntimes({
    redis: options.redis,
    keys: options.keys,
    env,
    ...(leaseMs ? { leaseMs } : {}),
  });
  const worker = new KoppelWorker({
    redis: options.redis,
    keys: options.keys,
    runtime: (runId) => runtimes.get(runId),
    name: options.name ?? `${hostname()}:${process.pid}`,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(lockDurationMs ? { lockDurationMs } : {}),
    ...(stalledIntervalMs ? { stalledIntervalMs } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
    fire: (job) => fireTrigger(job, { redis: options.redis, keys: options.keys, env }),
  });
  let closing: Promise<void> | undefined;
  return {
    worker,
    close() {
      closing ??= (async () => {
        await worker.close().catch(() => {});
        await runtimes.close();
      })();
      return closing;
    },
  };
}
