import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { KoppelKeys, openRedis, RedisRunStore, type RemoteRunMeta } from '@koppel/runner/bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPrefix, freshPrefix, REDIS_URL } from '../packages/runner/test/bullmq/redis-env.js';
import { type Spawned, spawnKoppel } from './helpers/cli.js';
import { type EntriesFixture, storedEntries, writeEntriesFixture } from './helpers/entries-fixture.js';

const CAP = 3;
const COUNT = 360;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `done()`; fails with `what` and the workers' output after `ms`. */
async function until(done: () => boolean | Promise<boolean>, what: string, workers: Spawned[], ms = 45_000) {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}; workers said:\n${workers.map((w) => w.stderr()).join('\n---\n')}`,
      );
    }
    await sleep(20);
  }
}

describe('koppel worker processes against the simulator (kill -9, SIGTERM, Redis connections dropped)', () => {
  let sim: Simulator;
  let dir: string;
  let prefix: string;
  let job: EntriesFixture;
  let meta: RemoteRunMeta | undefined;
  let terminated: Spawned;
  const workers: Spawned[] = [];
  let keysDeleted = 0;
  let keysLeft = -1;

  beforeAll(async () => {
    sim = await startSimulator({
      port: 0,
      update: { multiElementResults: 'array' },
      faults: { rules: [{ kind: 'latency', connector: 'FiEntries', method: 'POST', ms: 15 }] },
    });
    dir = await mkdtemp(join(tmpdir(), 'koppel-bullmq-'));
    prefix = freshPrefix();
    job = await writeEntriesFixture(dir, sim, { count: COUNT, concurrency: CAP, batch: 1 });
    const env = {
      REDIS_URL,
      KOPPEL_REDIS_PREFIX: prefix,
      KOPPEL_LOCK_DURATION_MS: '3000',
      KOPPEL_STALLED_INTERVAL_MS: '500',
      KOPPEL_GATE_LEASE_MS: '2000',
      KOPPEL_REQUEST_TIMEOUT_MS: '5000',
      KOPPEL_VERIFY_DELAY_MS: '0',
    };
    const start = (): Spawned => {
      const worker = spawnKoppel(['worker', '--concurrency', '4'], { cwd: dir, env });
      workers.push(worker);
      return worker;
    };
    const [a, b] = [start(), start()];
    await Promise.all([a.waitFor('koppel worker: ready'), b.waitFor('koppel worker: ready')]);
    const submit = spawnKoppel(['submit', job.jobFile, '--chunk-size', '15'], { cwd: dir, env });
    const submitted = await submit.exit;
    expect(submit.stderr()).toBe('');
    expect(submitted.code).toBe(0);
    const runId = /submitted run (\S+)/.exec(submit.stdout())?.[1] as string;

    const stored = (): number => storedEntries(sim).size;
    const redis = openRedis(REDIS_URL);
    const admin = openRedis(REDIS_URL);
    try {
      await until(() => stored() >= COUNT * 0.2, '20% stored', workers);
      a.child.kill('SIGKILL');
      const c = start();
      await c.waitFor('koppel worker: ready');
      await until(() => stored() >= COUNT * 0.45, '45% stored', workers);
      terminated = b;
      b.child.kill('SIGTERM');
      let exited = false;
      void b.exit.then(() => {
        exited = true;
      });
      await until(() => exited, 'the SIGTERM-ed worker to exit', workers);
      await until(() => stored() >= COUNT * 0.6, '60% stored', workers);
      // Every connection of the workers (their names carry the prefix) is dropped mid-run.
      const clients = String(await admin.client('LIST')).split('\n');
      const ids = clients
        .filter((line) => new RegExp(`name=\\S*${prefix}`).test(line))
        .map((line) => /id=(\d+)/.exec(line)?.[1]);
      expect(ids.length).toBeGreaterThan(2);
      for (const id of ids) await admin.client('KILL', 'ID', id as string);
      const store = new RedisRunStore(redis, new KoppelKeys(prefix));
      await until(
        async () => {
          meta = await store.read(runId);
          return meta !== undefined && meta.status !== 'running';
        },
        'the run to be finalised',
        workers,
        50_000,
      );
    } finally {
      redis.disconnect();
      admin.disconnect();
      for (const worker of workers) worker.child.kill('SIGTERM');
      // A worker that does not stop in time is killed, so no process outlives the test.
      const force = setTimeout(() => {
        for (const worker of workers) worker.child.kill('SIGKILL');
      }, 10_000);
      await Promise.all(workers.map((worker) => worker.exit));
      clearTimeout(force);
      keysDeleted = await dropPrefix(prefix);
      keysLeft = await dropPrefix(prefix);
    }
  }, 150_000);

  afterAll(async () => {
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores every valid entry exactly once (journal) and none of the invalid ones', () => {
    const stored = storedEntries(sim);
    expect([...stored].filter(([, entries]) => entries.size !== 1)).toEqual([]);
    expect([...stored.keys()].sort()).toEqual([...job.valid].sort());
  });

  it('never has more requests in flight at the simulator than the cap, across processes', () => {
    const max = Math.max(...Object.values(sim.control.stats().inFlight).map((gauge) => gauge.max));
    expect(max).toBeLessThanOrEqual(CAP);
    expect(max).toBe(CAP);
  });

  it('finalises the run with every record settled', () => {
    expect(meta?.status).toBe('finished');
    expect(meta?.exitCode).toBe(2);
    expect(meta?.counts).toEqual({
      done: job.valid.length,
      rejected: job.invalid.size,
      uncertain: 0,
      pending: 0,
      inflight: 0,
    });
  });

  it('lets a worker stop on SIGTERM, handing its chunks back', () => {
    expect(terminated.stderr()).toContain('koppel worker: stopped');
  });

  it('puts the chunks of the killed worker back (from their cursor) and says so', () => {
    expect(meta?.summary).toMatch(/\d+ chunk\(s\) put back after their worker died/);
  });

  it('deletes every key of the test prefix afterwards', () => {
    expect(keysDeleted).toBeGreaterThan(0);
    expect(keysLeft).toBe(0);
  });
});
