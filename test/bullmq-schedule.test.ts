import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import {
  KoppelKeys,
  listSchedules,
  openRedis,
  RedisRunStore,
  recentFirings,
  scheduleJob,
  startWorker,
  type TriggerOutcome,
  unscheduleJob,
} from '@koppel/runner/bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPrefix, freshPrefix, REDIS_URL } from '../packages/runner/test/bullmq/redis-env.js';
import { type EntriesFixture, storedEntries, writeEntriesFixture } from './helpers/entries-fixture.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('koppel schedule: cron firings through the workers, overlapping runs refused', () => {
  let sim: Simulator;
  let dir: string;
  let prefix: string;
  let job: EntriesFixture;
  const outcomes: TriggerOutcome[] = [];
  let listed: Awaited<ReturnType<typeof listSchedules>> = [];
  let removed = false;
  let sessions: { startedAt: string; endedAt?: string; exitCode?: number }[] = [];

  beforeAll(async () => {
    sim = await startSimulator({
      port: 0,
      update: { multiElementResults: 'array' },
      faults: { rules: [{ kind: 'latency', connector: 'FiEntries', method: 'POST', ms: 60 }] },
    });
    dir = await mkdtemp(join(tmpdir(), 'koppel-schedule-'));
    prefix = freshPrefix();
    job = await writeEntriesFixture(dir, sim, {
      count: 40,
      concurrency: 1,
      batch: 1,
      invalid: false,
      name: 'bullmq-entries',
    });
    const keys = new KoppelKeys(prefix);
    const redis = openRedis(REDIS_URL);
    const workerRedis = openRedis(REDIS_URL);
    const worker = startWorker({
      redis: workerRedis,
      keys,
      env: { ...process.env, KOPPEL_VERIFY_DELAY_MS: '0' },
    });
    try {
      await scheduleJob(job.jobFile, { redis, keys, cron: '* * * * * *', tz: 'Europe/Amsterdam' });
      listed = await listSchedules({ redis, keys });
      const deadline = Date.now() + 40_000;
      while (Date.now() < deadline) {
        const values = await recentFirings({ redis, keys });
        const runs = values.filter((v) => 'runId' in v);
        if (runs.length >= 2 && values.some((v) => 'skipped' in v)) break;
        await sleep(200);
      }
      removed = await unscheduleJob('bullmq-entries', { redis, keys });
      outcomes.push(...(await recentFirings({ redis, keys })));
      const fired = outcomes.find((o): o is { runId: string } => 'runId' in o);
      sessions = fired ? ((await new RedisRunStore(redis, keys).read(fired.runId))?.sessions ?? []) : [];
    } finally {
      await worker.close();
      redis.disconnect();
      workerRedis.disconnect();
      await dropPrefix(prefix);
    }
  }, 60_000);

  afterAll(async () => {
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the schedule with its pattern, time zone and next firing', () => {
    expect(listed.map(({ jobName, pattern, tz }) => ({ jobName, pattern, tz }))).toEqual([
      { jobName: 'bullmq-entries', pattern: '* * * * * *', tz: 'Europe/Amsterdam' },
    ]);
    expect(listed[0]?.next).toBeInstanceOf(Date);
    expect(removed).toBe(true);
  });

  it('skips a firing while the previous run of the job is still going', () => {
    const skipped = outcomes.filter((o): o is { skipped: string } => 'skipped' in o);
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped[0]?.skipped).toMatch(
      /^previous run bullmq-entries-\w+ of bullmq-entries is still going; this firing is skipped$/,
    );
  });

  it('starts the next run once the previous one ended, and stores each entry exactly once', () => {
    expect(outcomes.filter((o) => 'runId' in o).length).toBeGreaterThanOrEqual(2);
    // Same job, same input: each firing is a new session of one run, never overlapping the last.
    expect(sessions.length).toBeGreaterThanOrEqual(2);
    expect(sessions[0]?.exitCode).toBe(0);
    for (let i = 1; i < sessions.length; i++) {
      expect(Date.parse(sessions[i]?.startedAt ?? '')).toBeGreaterThanOrEqual(
        Date.parse(sessions[i - 1]?.endedAt ?? ''),
      );
    }
    const stored = storedEntries(sim);
    expect([...stored].filter(([, entries]) => entries.size !== 1)).toEqual([]);
    expect([...stored.keys()].sort()).toEqual([...job.valid].sort());
  });

  it('refuses a pattern that is not cron, naming the option', async () => {
    const redis = openRedis(REDIS_URL);
    const scratch = freshPrefix();
    try {
      await expect(
        scheduleJob(job.jobFile, {
          redis,
          keys: new KoppelKeys(scratch),
          cron: 'every night',
          tz: 'Europe/Amsterdam',
        }),
      ).rejects.toThrow(
        'Expected --cron to be a cron pattern such as "0 2 * * *" and --tz a time zone such as Europe/Amsterdam, got "every night"',
      );
    } finally {
      redis.disconnect();
      await dropPrefix(scratch);
    }
  });
});
