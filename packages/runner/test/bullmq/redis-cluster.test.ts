import { clusterPrefix, deletePrefix, KoppelKeys, openRedis, RedisLedger } from '@koppel/runner/bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FailoverRun, runThroughFailover } from './redis-failover-run.js';
import { type LocalCluster, RedisProcesses, redisServerMissing, startCluster } from './redis-processes.js';

const missing = redisServerMissing();
if (missing) console.warn(`skipping the Redis Cluster tests: ${missing}`);

describe.skipIf(missing)('a 3-master Redis Cluster with replicas, through a master failover', () => {
  const processes = new RedisProcesses();
  let cluster: LocalCluster;
  let run: FailoverRun;
  let newMaster = 0;

  beforeAll(async () => {
    cluster = await startCluster(processes);
    // The master of the deployment's slot (every key carries the tag `{koppel-test-…}`) hands over.
    run = await runThroughFailover(cluster.url, async (keyPrefix) => {
      newMaster = await cluster.failover(keyPrefix);
    });
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

  it('finalises a complete report that reconciles', () => {
    expect(newMaster).toBeGreaterThan(0);
    expect([run.meta?.status, run.report.status, run.report.exitCode]).toEqual(['finished', 'finished', 2]);
    expect(run.report.counts).toMatchObject({
      done: run.job.valid.length,
      rejected: run.job.invalid.size,
      uncertain: 0,
      pending: 0,
    });
    expect(run.report.reconciliation?.holds).toBe(true);
  });

  it('keeps every key of a deployment in one slot and deletes them from every master', async () => {
    const redis = openRedis(cluster.url);
    try {
      const keys = new KoppelKeys(clusterPrefix('koppel-slot-test'));
      // A fenced ledger write touches the ledger, its counts and a BullMQ lock: one script, one slot.
      await redis.set(keys.jobLockOf('chunks', '1'), 'token');
      await new RedisLedger(redis, keys, 'run-1')
        .fenced(keys.jobLockOf('chunks', '1'), 'token')
        .write([{ key: 'a', state: 'inflight', attempts: 1, at: new Date().toISOString() }]);
      // Keys of other deployments on other masters: deleting one prefix leaves them.
      for (let i = 0; i < 20; i++) await redis.set(`{other-${i}}:k:x`, '1');
      expect(await deletePrefix(redis, keys.prefix)).toBe(3);
      expect(await deletePrefix(redis, keys.prefix)).toBe(0);
      let others = 0;
      for (let i = 0; i < 20; i++) others += await redis.exists(`{other-${i}}:k:x`);
      expect(others).toBe(20);
    } finally {
      redis.disconnect();
    }
  });
});
