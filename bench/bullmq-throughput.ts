import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  deletePrefix,
  KoppelKeys,
  openRedis,
  RedisRunStore,
  resolveRedisUrl,
  submitRun,
} from '@koppel/runner/bullmq';
import { type Spawned, spawnKoppel } from '../test/helpers/cli.js';
import { writeEntriesFixture } from '../test/helpers/entries-fixture.js';
import { postLatency, spawnSimProcess } from './spawn-sim.js';

const COUNT = Number(process.argv[2] ?? 800);
const LATENCY_MS = 50;
const CAP = 8;
const LIMIT = CAP / (LATENCY_MS / 1000);
const REDIS_URL = resolveRedisUrl();

const sim = await spawnSimProcess(postLatency(LATENCY_MS));
const baseUrl = sim.baseUrl;
const simRoot = baseUrl.replace(/\/\d+\/ProfitRestServices$/, '');
const dir = await mkdtemp(join(tmpdir(), 'koppel-bench-bullmq-'));
const redis = openRedis(REDIS_URL);

async function scenario(workers: number, chunksAtOnce: number): Promise<string> {
  const prefix = `koppel-bench-${process.pid}-${workers}-${chunksAtOnce}`;
  const keys = new KoppelKeys(prefix);
  await fetch(`${simRoot}/__sim/reset`, { method: 'POST' });
  const job = await writeEntriesFixture(
    dir,
    { baseUrl: () => baseUrl },
    { count: COUNT, concurrency: CAP, batch: 1, invalid: false, name: `bench-${workers}-${chunksAtOnce}` },
  );
  const env = { REDIS_URL, KOPPEL_REDIS_PREFIX: prefix, KOPPEL_VERIFY_DELAY_MS: '0' };
  const started: Spawned[] = Array.from({ length: workers }, () =>
    spawnKoppel(['worker', '--concurrency', String(chunksAtOnce)], { cwd: dir, env }),
  );
  try {
    await Promise.all(started.map((worker) => worker.waitFor('koppel worker: ready')));
    const t0 = performance.now();
    const { runId } = await submitRun(job.jobFile, { redis, keys, newRun: true, chunkSize: 20 });
    const submitted = (performance.now() - t0) / 1000;
    const store = new RedisRunStore(redis, keys);
    let meta = await store.read(runId);
    while (meta?.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 50));
      meta = await store.read(runId);
    }
    const seconds = (performance.now() - t0) / 1000;
    const stats = (await (await fetch(`${simRoot}/__sim/stats`)).json()) as {
      inFlight: Record<string, { max: number }>;
    };
    const highWater = Math.max(...Object.values(stats.inFlight).map((gauge) => gauge.max));
    const rate = COUNT / seconds;
    return `${workers} worker process(es) x ${String(chunksAtOnce).padStart(2)} chunks: ${COUNT} entries in ${seconds.toFixed(2)} s = ${rate.toFixed(1)} req/s (${((rate / LIMIT) * 100).toFixed(0)}% of ${LIMIT}), in flight at most ${highWater} (cap ${CAP}), ${meta?.counts?.done} done; submit took ${submitted.toFixed(2)} s`;
  } finally {
    for (const worker of started) worker.child.kill('SIGTERM');
    await Promise.all(started.map((worker) => worker.exit));
    await deletePrefix(redis, prefix);
  }
}

try {
  console.log(`koppel submit + worker, ${COUNT} FiEntries, batch 1, latency ${LATENCY_MS} ms, cap ${CAP}`);
  for (const [workers, chunksAtOnce] of [
    [1, 4],
    [2, 4],
    [1, 16],
    [2, 16],
  ] as const) {
    console.log(await scenario(workers, chunksAtOnce));
  }
} finally {
  redis.disconnect();
  sim.stop();
  await rm(dir, { recursive: true, force: true });
}
