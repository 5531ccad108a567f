import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FailoverRun, runThroughFailover } from './redis-failover-run.js';
import {
  cli,
  type LocalSentinels,
  RedisProcesses,
  redisServerMissing,
  startSentinels,
} from './redis-processes.js';

const missing = redisServerMissing();
if (missing) console.warn(`skipping the Redis Sentinel tests: ${missing}`);

describe.skipIf(missing)('a Sentinel group (master, replica, 3 Sentinels), through a failover', () => {
  const processes = new RedisProcesses();
  let group: LocalSentinels;
  let run: FailoverRun;

  beforeAll(async () => {
    group = await startSentinels(processes);
    run = await runThroughFailover(group.url, () => group.failover());
  }, 120_000);

  afterAll(async () => {
    await processes.stop();
  });

  it('stores every valid record in the simulator exactly once', () => {
    expect(run.storedBefore).toBeGreaterThan(0);
    expect(run.storedBefore).toBeLessThan(run.job.valid.length);
    expect([...run.stored].filter(([, entries]) => entries.size !== 1)).toEqual([]);
    expect([...run.stored.keys()].sort()).toEqual([...run.job.valid].sort());
  });

  it('finalises a complete report that reconciles, on the promoted replica', async () => {
    expect([run.meta?.status, run.report.status, run.report.exitCode]).toEqual(['finished', 'finished', 2]);
    expect(run.report.counts).toMatchObject({
      done: run.job.valid.length,
      rejected: run.job.invalid.size,
      uncertain: 0,
      pending: 0,
    });
    expect(run.report.reconciliation?.holds).toBe(true);
    expect(await cli(group.sentinels[0] as number, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster'])).toBe(
      `127.0.0.1\n${group.replica}`,
    );
  });
});
