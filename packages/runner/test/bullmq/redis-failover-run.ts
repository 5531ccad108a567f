import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import {
  clusterPrefix,
  KoppelKeys,
  openRedis,
  RedisRunStore,
  type RemoteRunMeta,
  resolveRedisTarget,
} from '@koppel/runner/bullmq';
import { type Spawned, spawnKoppel } from '../../../../test/helpers/cli.js';
import {
  type EntriesFixture,
  storedEntries,
  writeEntriesFixture,
} from '../../../../test/helpers/entries-fixture.js';
import { until } from './redis-processes.js';

/** What a run through a failover left behind, for the assertions. */
export interface FailoverRun {
  job: EntriesFixture;
  /** Voucher -> distinct entries the simulator stored for it. */
  stored: Map<string, Set<unknown>>;
  /** Records stored when the failover began. */
  storedBefore: number;
  meta: RemoteRunMeta | undefined;
  report: {
    status: string;
    exitCode: number;
    counts: Record<string, number>;
    reconciliation?: { holds: boolean };
  };
  /** The workers' and the submitter's stderr. */
  output: string;
}

const COUNT = 200;

/**
 * `koppel submit` and two `koppel worker` processes on `url` against the simulator; `failover` runs
 * (given the deployment's key prefix) once 15% of the records are stored, then the run goes on to its finalised report.
 */
export async function runThroughFailover(
  url: string,
  failover: (keyPrefix: string) => Promise<unknown>,
): Promise<FailoverRun> {
  let sim: Simulator | undefined;
  const workers: Spawned[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'koppel-failover-'));
  const prefix = `koppel-test-${randomUUID().slice(0, 8)}`;
  const target = resolveRedisTarget(url, {});
  const redis = openRedis(target);
  try {
    sim = await startSimulator({
      port: 0,
      update: { multiElementResults: 'array' },
      faults: { rules: [{ kind: 'latency', connector: 'FiEntries', method: 'POST', ms: 50 }] },
    });
    const job = await writeEntriesFixture(dir, sim, { count: COUNT, concurrency: 3, batch: 1 });
    const env = {
      REDIS_URL: url,
      KOPPEL_REDIS_PREFIX: prefix,
      KOPPEL_REQUEST_TIMEOUT_MS: '5000',
      KOPPEL_VERIFY_DELAY_MS: '0',
    };
    for (let i = 0; i < 2; i++)
      workers.push(spawnKoppel(['worker', '--concurrency', '4'], { cwd: dir, env }));
    await Promise.all(workers.map((worker) => worker.waitFor('koppel worker: ready')));
    const submit = spawnKoppel(['submit', job.jobFile, '--chunk-size', '10'], { cwd: dir, env });
    const output = (): string => [submit, ...workers].map((p) => p.stderr()).join('\n---\n');
    let exited = false;
    void submit.exit.then(() => {
      exited = true;
    });
    await until(() => exited, `koppel submit to exit; output:\n${output()}`, 30_000);
    const submitted = await submit.exit;
    if (submitted.code !== 0) throw new Error(`koppel submit failed:\n${output()}`);
    const runId = /submitted run (\S+)/.exec(submit.stdout())?.[1] as string;
    const simulator = sim;
    const stored = (): number => storedEntries(simulator).size;
    await until(() => stored() >= COUNT * 0.15, `15% stored; output:\n${output()}`, 45_000);
    const storedBefore = stored();
    const keys = new KoppelKeys(target.mode === 'cluster' ? clusterPrefix(prefix) : prefix);
    await failover(keys.prefix);
    const store = new RedisRunStore(redis, keys);
    let meta: RemoteRunMeta | undefined;
    await until(
      async () => {
        meta = await store.read(runId);
        return meta !== undefined && meta.status !== 'running' && meta.sessions.at(-1)?.endedAt !== undefined;
      },
      `the run to be finalised after the failover; output:\n${output()}`,
      45_000,
    );
    const report = JSON.parse(await readFile(meta?.files?.report as string, 'utf8'));
    return { job, stored: storedEntries(simulator), storedBefore, meta, report, output: output() };
  } finally {
    redis.disconnect();
    for (const worker of workers) worker.child.kill('SIGTERM');
    const force = setTimeout(() => {
      for (const worker of workers) worker.child.kill('SIGKILL');
    }, 10_000);
    await Promise.all(workers.map((worker) => worker.exit));
    clearTimeout(force);
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  }
}
