/**
 * BullMQ with several AFAS environments on one simulator process group: 4 environments (each its
 * own in-flight cap of 8), one FiEntries job per environment submitted at once, worked by one
 * and by four `koppel worker` processes. Prints records/s of each, the ratio, the in-flight
 * high-water per environment (never above the cap), and whether each run's counts equal those
 * of an in-process `koppel run` of the same job.
 *   node --conditions=@koppel/source --import tsx bench/bullmq-environments.ts [entries per environment]
 * Environment: LATENCY_MS (default 50), CHUNK_SIZE (default 20), CHUNKS per worker (default 8).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareJobRun, runSession } from '@koppel/runner';
import {
  deletePrefix,
  KoppelKeys,
  openRedis,
  RedisRunStore,
  resolveRedisUrl,
  submitRun,
} from '@koppel/runner/bullmq';
import { type Spawned, spawnKoppel } from '../test/helpers/cli.js';
import { type EntriesFixture, writeEntriesFixture } from '../test/helpers/entries-fixture.js';
import { cpuSecondsOf } from './proc-cpu.js';
import { postLatency, spawnSimProcess } from './spawn-sim.js';

const COUNT = Number(process.argv[2] ?? 400);
const ENVIRONMENTS = 4;
/** Latency of every FiEntries POST in ms; LATENCY_MS, default 50 (at 250 the cap, not the CPU, is the limit). */
const LATENCY_MS = Number(process.env.LATENCY_MS ?? 50);
const CAP = 8;
/** Documents per chunk (`koppel submit --chunk-size`); CHUNK_SIZE, default 20. */
const CHUNK_SIZE = Number(process.env.CHUNK_SIZE ?? 20);
/** Chunks each worker process works on at once. */
const CHUNKS = Number(process.env.CHUNKS ?? 8);
const REDIS_URL = resolveRedisUrl();

process.env.SIM_ENVIRONMENTS = String(ENVIRONMENTS);
const sim = await spawnSimProcess({
  rules: [{ ...postLatency(LATENCY_MS).rules[0] }],
});
const simRoot = sim.baseUrl.replace(/\/\d+\/ProfitRestServices$/, '');
const ids = Array.from({ length: ENVIRONMENTS }, (_, i) => String(12345 + i));
const dir = await mkdtemp(join(tmpdir(), 'koppel-bench-envs-'));
const redis = openRedis(REDIS_URL);

type Counts = { done: number; rejected: number; uncertain: number };

/** One job per environment (its own folder, name and connection URL), `count` entries each. */
async function jobs(tag: string, count = COUNT): Promise<EntriesFixture[]> {
  return Promise.all(
    ids.map(async (id) => {
      const folder = join(dir, `${tag}-${id}`);
      await mkdir(folder);
      return writeEntriesFixture(
        folder,
        { baseUrl: () => `${simRoot}/${id}/ProfitRestServices` },
        {
          count,
          concurrency: CAP,
          batch: 1,
          invalid: true,
          verify: false,
          name: `bench-${tag}-${id}`,
        },
      );
    }),
  );
}

/** CPU seconds so far of the worker processes, the simulator, this process and the Redis server (every client's). */
async function cpuNow(workers: readonly Spawned[]) {
  const seconds = await Promise.all(workers.map((worker) => cpuSecondsOf(worker.child.pid as number)));
  const info = await redis.info('cpu');
  const redisCpu = ['used_cpu_user', 'used_cpu_sys'].reduce(
    (sum, name) => sum + Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0),
    0,
  );
  const self = process.cpuUsage();
  return {
    workers: seconds.reduce((a, b) => a + b, 0),
    sim: await cpuSecondsOf(sim.pid),
    self: (self.user + self.system) / 1e6,
    redis: redisCpu,
  };
}

type Gauges = Record<string, { now: number; max: number }>;

async function gauges(): Promise<Gauges> {
  return ((await (await fetch(`${simRoot}/__sim/stats`)).json()) as { inFlight: Gauges }).inFlight;
}

async function highWater(): Promise<Record<string, number>> {
  const stats = await gauges();
  return Object.fromEntries(ids.map((id) => [id, stats[id]?.max ?? 0]));
}

/** Samples the requests in flight per environment every 50 ms until `stop()`; gives their means. */
function sampleInFlight(): { stop(): Promise<Record<string, number>> } {
  const sums = new Map<string, number>();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const stats = await gauges();
      for (const id of ids) sums.set(id, (sums.get(id) ?? 0) + (stats[id]?.now ?? 0));
      samples++;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return Object.fromEntries(ids.map((id) => [id, (sums.get(id) ?? 0) / Math.max(1, samples)]));
    },
  };
}

/** The reference: each job run in-process (`koppel run`), one after the other. */
async function inProcess(): Promise<Counts[]> {
  await fetch(`${simRoot}/__sim/reset`, { method: 'POST' });
  const out: Counts[] = [];
  for (const fixture of await jobs('local')) {
    const spec = await prepareJobRun(fixture.jobFile);
    const { report } = await runSession(spec, {
      stateDir: join(dir, '.koppel-local'),
      log: { plainIntervalMs: 600_000 },
    });
    out.push({
      done: report.counts.done,
      rejected: report.counts.rejected,
      uncertain: report.counts.uncertain,
    });
  }
  return out;
}

/** Waits until every run has ended; their counts. */
async function settle(runIds: readonly string[], keys: KoppelKeys): Promise<Counts[]> {
  const store = new RedisRunStore(redis, keys);
  const counts: Counts[] = [];
  for (const runId of runIds) {
    let meta = await store.read(runId);
    while (meta?.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 50));
      meta = await store.read(runId);
    }
    counts.push({
      done: meta?.counts?.done ?? -1,
      rejected: meta?.counts?.rejected ?? -1,
      uncertain: meta?.counts?.uncertain ?? -1,
    });
  }
  return counts;
}

async function scenario(workers: number): Promise<{
  seconds: number;
  counts: Counts[];
  high: Record<string, number>;
  mean: Record<string, number>;
  cpu: string;
}> {
  const prefix = `koppel-bench-envs-${process.pid}-${workers}`;
  const keys = new KoppelKeys(prefix);
  await fetch(`${simRoot}/__sim/reset`, { method: 'POST' });
  const fixtures = await jobs(`w${workers}`);
  const env = { REDIS_URL, KOPPEL_REDIS_PREFIX: prefix, KOPPEL_VERIFY_DELAY_MS: '0' };
  const started: Spawned[] = Array.from({ length: workers }, () =>
    spawnKoppel(['worker', '--concurrency', String(CHUNKS)], { cwd: dir, env }),
  );
  try {
    await Promise.all(started.map((worker) => worker.waitFor('koppel worker: ready')));
    // Warm-up: chunks of 4 for every worker, so each has loaded (compiled) the delivery code
    // before the measured run; the simulator is reset after it.
    const warm = await jobs(`warm${workers}`, 8 * CHUNKS);
    await settle(
      await Promise.all(
        warm.map(
          async (fixture) =>
            (await submitRun(fixture.jobFile, { redis, keys, newRun: true, chunkSize: 4 })).runId,
        ),
      ),
      keys,
    );
    await fetch(`${simRoot}/__sim/reset`, { method: 'POST' });
    const cpu = await cpuNow(started);
    const t0 = performance.now();
    const sampler = sampleInFlight();
    const runIds = await Promise.all(
      fixtures.map(
        async (fixture) =>
          (await submitRun(fixture.jobFile, { redis, keys, newRun: true, chunkSize: CHUNK_SIZE })).runId,
      ),
    );
    const counts = await settle(runIds, keys);
    const seconds = (performance.now() - t0) / 1000;
    const mean = await sampler.stop();
    const used = await cpuNow(started);
    const per = (s: number) =>
      `${s.toFixed(1)} s (${((s * 1000) / (COUNT * ENVIRONMENTS)).toFixed(2)} ms a record)`;
    const cpuText = `CPU workers ${per(used.workers - cpu.workers)}, simulator ${per(used.sim - cpu.sim)}, this process ${per(used.self - cpu.self)}, the shared Redis ${per(used.redis - cpu.redis)}`;
    return { seconds, counts, high: await highWater(), mean, cpu: cpuText };
  } finally {
    for (const worker of started) worker.child.kill('SIGTERM');
    await Promise.all(started.map((worker) => worker.exit));
    await deletePrefix(redis, prefix);
  }
}

try {
  const total = COUNT * ENVIRONMENTS;
  console.log(
    `koppel submit + worker: ${ENVIRONMENTS} environments x ${COUNT} FiEntries (3% invalid), batch 1, latency ${LATENCY_MS} ms, cap ${CAP} per environment, chunks of ${CHUNK_SIZE}, ${CHUNKS} at a time per worker`,
  );
  const reference = await inProcess();
  const rates: number[] = [];
  for (const workers of [1, 4]) {
    const { seconds, counts, high, mean, cpu } = await scenario(workers);
    const rate = total / seconds;
    rates.push(rate);
    const same = counts.every((c, i) => JSON.stringify(c) === JSON.stringify(reference[i]));
    console.log(
      `${workers} worker process(es): ${total} entries in ${seconds.toFixed(2)} s = ${rate.toFixed(1)} records/s; in flight at most ${ids.map((id) => `${id}: ${high[id]}`).join(', ')} (cap ${CAP} each), on average ${ids.map((id) => (mean[id] ?? 0).toFixed(1)).join(' / ')}; counts ${same ? 'equal to' : 'DIFFER from'} the in-process runs (${JSON.stringify(counts[0])} ...)`,
    );
    console.log(`  ${cpu}`);
    if (!same) console.log(`  bullmq ${JSON.stringify(counts)}\n  in-process ${JSON.stringify(reference)}`);
  }
  console.log(`4 workers / 1 worker: ${((rates[1] ?? 0) / (rates[0] ?? 1)).toFixed(2)}x`);
} finally {
  redis.disconnect();
  sim.stop();
  await rm(dir, { recursive: true, force: true });
}
