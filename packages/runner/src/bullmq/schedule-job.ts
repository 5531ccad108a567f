import { resolve } from 'node:path';
import { type Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { loadRunJob } from '../job-extras.js';
import { TRIGGERS_QUEUE } from './chunk-jobs.js';
import { BullmqOptionsError } from './errors.js';
import type { KoppelKeys } from './keys.js';
import { RedisRunStore } from './redis-run-store.js';
import { submitRun } from './submit-run.js';

/** What a scheduler fires: the job to submit. */
export interface TriggerData {
  /** Absolute path of the job file (every worker must be able to read it). */
  jobFile: string;
  jobName: string;
  /** The overlap lock expires after this many ms even if a run never finalises; default 24 h. */
  lockTtlMs: number;
}

/** What a fired trigger did. */
export type TriggerOutcome = { runId: string } | { skipped: string };

/** A scheduled job as listed. */
export interface ScheduleInfo {
  id: string;
  jobName: string;
  jobFile: string;
  pattern?: string;
  tz?: string;
  /** Next fire time. */
  next?: Date;
}

const schedulerId = (jobName: string): string => `job-${jobName}`;

/**
 * `koppel schedule`: a BullMQ job scheduler (cron + time zone) on the triggers queue per job
 * name; upserting again replaces the schedule. Workers turn each firing into `koppel submit`.
 */
export async function scheduleJob(
  jobFile: string,
  options: {
    redis: Redis;
    keys: KoppelKeys;
    cron: string;
    tz?: string;
    env?: NodeJS.ProcessEnv;
    lockTtlMs?: number;
  },
): Promise<ScheduleInfo> {
  const { loaded } = await loadRunJob(jobFile, { env: options.env ?? process.env });
  const jobName = loaded.job.name;
  const queue = new Queue<TriggerData>(TRIGGERS_QUEUE, {
    connection: options.redis,
    prefix: options.keys.bull,
  });
  try {
    const data: TriggerData = {
      jobFile: resolve(jobFile),
      jobName,
      lockTtlMs: options.lockTtlMs ?? 86_400_000,
    };
    const repeat = { pattern: options.cron, ...(options.tz ? { tz: options.tz } : {}) };
    try {
      await queue.upsertJobScheduler(schedulerId(jobName), repeat, {
        name: 'trigger',
        data,
        opts: {
          attempts: 3,
          backoff: { type: 'exponential', delay: 5000 },
          removeOnComplete: { count: 50 },
          removeOnFail: { count: 50 },
        },
      });
    } catch (error) {
      throw new BullmqOptionsError(
        `Expected --cron to be a cron pattern such as "0 2 * * *" and --tz a time zone such as Europe/Amsterdam, got "${options.cron}"${options.tz ? ` and ${options.tz}` : ''}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const [info] = (await listSchedules(options)).filter((s) => s.id === schedulerId(jobName));
    return info ?? { id: schedulerId(jobName), jobName, jobFile: data.jobFile };
  } finally {
    await queue.close();
  }
}

/** Every schedule of the deployment. */
export async function listSchedules(options: { redis: Redis; keys: KoppelKeys }): Promise<ScheduleInfo[]> {
  const queue = new Queue<TriggerData>(TRIGGERS_QUEUE, {
    connection: options.redis,
    prefix: options.keys.bull,
  });
  const schedulers = await queue.getJobSchedulers(0, -1, true).finally(() => queue.close());
  return schedulers.map((s) => ({
    id: s.key,
    jobName: s.template?.data?.jobName ?? s.key,
    jobFile: s.template?.data?.jobFile ?? '',
    ...(s.pattern ? { pattern: s.pattern } : {}),
    ...(s.tz ? { tz: s.tz } : {}),
    ...(s.next ? { next: new Date(s.next) } : {}),
  }));
}

/** Removes the schedule of a job name; false when there was none. */
export async function unscheduleJob(
  jobName: string,
  options: { redis: Redis; keys: KoppelKeys },
): Promise<boolean> {
  const queue = new Queue(TRIGGERS_QUEUE, { connection: options.redis, prefix: options.keys.bull });
  try {
    return await queue.removeJobScheduler(schedulerId(jobName));
  } finally {
    await queue.close();
  }
}

// KEYS: lock. ARGV: expected holder ('' = none), new value, ttl ms. Compare-and-set.
const TAKE = `
local current = redis.call('GET', KEYS[1])
if (current or '') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`;

/** KEYS: lock. ARGV: holder. Deletes the lock only if it is still the holder's. */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * Processes one firing: refuses while the job's previous run is still going (a lock per job name,
 * holding the run id, with a TTL; the run's finaliser releases it), else submits the job.
 */
export async function fireTrigger(
  job: Job<TriggerData>,
  options: { redis: Redis; keys: KoppelKeys; env?: NodeJS.ProcessEnv },
): Promise<TriggerOutcome> {
  const { redis, keys } = options;
  const { jobName, jobFile, lockTtlMs } = job.data;
  const lock = keys.jobLock(jobName);
  const store = new RedisRunStore(redis, keys);
  const holder = (await redis.get(lock)) ?? '';
  if (holder) {
    const running = holder.startsWith('firing:') || (await store.read(holder))?.status === 'running';
    if (running)
      return { skipped: `previous run ${holder} of ${jobName} is still going; this firing is skipped` };
  }
  const firing = `firing:${job.id}`;
  const taken = await redis.eval(TAKE, 1, lock, holder, firing, String(lockTtlMs));
  if (taken !== 1) return { skipped: `another firing of ${jobName} started a run at the same moment` };
  try {
    const result = await submitRun(jobFile, { redis, keys, ...(options.env ? { env: options.env } : {}) });
    await redis.eval(TAKE, 1, lock, firing, result.runId, String(lockTtlMs));
    return { runId: result.runId };
  } catch (error) {
    await redis.eval(RELEASE, 1, lock, firing);
    if ((error as Error)?.name === 'RunInProgressError') return { skipped: (error as Error).message };
    throw error;
  }
}

/** What recent firings did (kept: the last 50 of each kind), newest first. */
export async function recentFirings(options: { redis: Redis; keys: KoppelKeys }): Promise<TriggerOutcome[]> {
  const queue = new Queue<TriggerData, TriggerOutcome>(TRIGGERS_QUEUE, {
    connection: options.redis,
    prefix: options.keys.bull,
  });
  try {
    return (await queue.getCompleted()).map((job) => job.returnvalue);
  } finally {
    await queue.close();
  }
}
