import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import {
  KoppelKeys,
  openRedis,
  RedisLedger,
  RedisRunStore,
  type RemoteRunMeta,
  startWorker,
  submitRun,
} from '@koppel/runner/bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EntriesJob,
  storedPerVoucher,
  writeEntriesJob,
} from '../packages/runner/test/bullmq/entries-job.js';
import { dropPrefix, freshPrefix, REDIS_URL } from '../packages/runner/test/bullmq/redis-env.js';

const COUNT = 1500;
const CAP = 6;
const write = { connector: 'FiEntries', method: 'POST' };
/** The fault mix of `koppel run`'s chaos suite: 503s, lock 500s, resets, commit-then-timeout. */
const CHAOS = {
  seed: 11,
  rules: [
    { kind: 'latency' as const, ...write, ms: 1 },
    { kind: 'maintenance' as const, ...write, probability: 0.1, retryAfter: 0.005 },
    { kind: 'locked' as const, ...write, probability: 0.05 },
    { kind: 'reset' as const, ...write, probability: 0.02 },
    { kind: 'commitThenDelay' as const, ...write, probability: 0.01, ms: 800 },
  ],
};

describe('koppel submit + two workers against a faulty simulator', () => {
  let sim: Simulator;
  let dir: string;
  let prefix: string;
  let job: EntriesJob;
  let meta: RemoteRunMeta | undefined;
  let entries: Map<string, { state: string; error?: string }>;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, faults: CHAOS, update: { multiElementResults: 'array' } });
    dir = await mkdtemp(join(tmpdir(), 'koppel-bullmq-faults-'));
    prefix = freshPrefix();
    job = await writeEntriesJob(dir, sim, { count: COUNT, concurrency: CAP, invalid: true, batch: 'auto' });
    const env = {
      ...process.env,
      KOPPEL_REQUEST_TIMEOUT_MS: '300',
      KOPPEL_RETRY_BASE_MS: '5',
      KOPPEL_RETRY_MAX_MS: '50',
      KOPPEL_VERIFY_DELAY_MS: '0',
    };
    const keys = new KoppelKeys(prefix);
    const connections = [openRedis(REDIS_URL), openRedis(REDIS_URL), openRedis(REDIS_URL)];
    const [main, one, two] = connections as [
      ReturnType<typeof openRedis>,
      ReturnType<typeof openRedis>,
      ReturnType<typeof openRedis>,
    ];
    const workers = [startWorker({ redis: one, keys, env }), startWorker({ redis: two, keys, env })];
    try {
      const submitted = await submitRun(job.jobFile, { redis: main, keys, env, chunkSize: 40 });
      const store = new RedisRunStore(main, keys);
      const deadline = Date.now() + 80_000;
      for (;;) {
        meta = await store.read(submitted.runId);
        if ((meta && meta.status !== 'running') || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      entries = new Map();
      for await (const entry of new RedisLedger(main, keys, submitted.runId).entries())
        entries.set(entry.key, entry);
    } finally {
      await Promise.all(workers.map((worker) => worker.close()));
      for (const connection of connections) connection.disconnect();
      await dropPrefix(prefix);
    }
  }, 100_000);

  afterAll(async () => {
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores every valid entry exactly once and none of the invalid ones', () => {
    const stored = storedPerVoucher(sim);
    expect([...stored].filter(([, n]) => n !== 1)).toEqual([]);
    expect([...stored.keys()].sort()).toEqual([...job.valid].sort());
  });

  it('rejects exactly the invalid records, with the reason', () => {
    const rejected = [...entries.values()].filter((entry) => entry.state === 'rejected');
    expect(rejected.map((entry) => (entry as { key?: string }).key).sort()).toEqual([...job.invalid].sort());
    expect(rejected.every((entry) => (entry.error ?? '').length > 0)).toBe(true);
  });

  it('finalises with every record settled and exit code 2 (some rejected)', () => {
    expect(meta).toMatchObject({ status: 'finished', exitCode: 2 });
    expect(meta?.counts).toEqual({
      done: job.valid.length,
      rejected: job.invalid.length,
      uncertain: 0,
      pending: 0,
      inflight: 0,
    });
  });

  it('keeps requests in flight within the cap over both workers', () => {
    const max = Math.max(...Object.values(sim.control.stats().inFlight).map((gauge) => gauge.max));
    expect(max).toBeLessThanOrEqual(CAP);
  });
});
