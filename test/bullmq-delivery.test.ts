import { cp, mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import type { RunReport } from '@koppel/runner';
import {
  DEFAULT_QUEUES,
  KoppelKeys,
  openRedis,
  RedisRunStore,
  type RemoteRunMeta,
} from '@koppel/runner/bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPrefix, freshPrefix, REDIS_URL } from '../packages/runner/test/bullmq/redis-env.js';
import { type CliResult, runCli, type Spawned, spawnKoppel } from './helpers/cli.js';
import { type EntriesFixture, storedEntries, writeEntriesFixture } from './helpers/entries-fixture.js';
import { reportPath } from './helpers/executors.js';

const COUNT = 160;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const startSim = (): Promise<Simulator> =>
  startSimulator({
    port: 0,
    update: { multiElementResults: 'array' },
    faults: { rules: [{ kind: 'latency', connector: 'FiEntries', method: 'POST', ms: 20 }] },
  });

/** What the in-process and the BullMQ report must agree on. */
function comparable(report: RunReport) {
  const r = report.reconciliation;
  return {
    status: report.status,
    exitCode: report.exitCode,
    counts: report.counts,
    controlTotals: report.controlTotals,
    reconciliation: r && {
      checked: r.checked,
      read: r.read,
      sourceRecords: r.sourceRecords,
      done: r.done,
      skippedSettled: r.skippedSettled,
      skippedDelivered: r.skippedDelivered,
      rejectedBeforeSending: r.rejectedBeforeSending,
      rejectedByAfas: r.rejectedByAfas,
      uncertain: r.uncertain,
      notSettled: r.notSettled,
      holds: r.holds,
      groups: r.groups,
      groupsHold: r.groupsHold,
    },
  };
}

/** One deployment: a fresh prefix, its workers and helpers to watch its chunks. */
class Deployment {
  readonly prefix = freshPrefix();
  readonly workers: Spawned[] = [];
  readonly env: NodeJS.ProcessEnv;
  readonly redis = openRedis(REDIS_URL);

  constructor(env: NodeJS.ProcessEnv = {}) {
    this.env = {
      REDIS_URL,
      KOPPEL_REDIS_PREFIX: this.prefix,
      KOPPEL_LOCK_DURATION_MS: '3000',
      KOPPEL_STALLED_INTERVAL_MS: '500',
      KOPPEL_GATE_LEASE_MS: '2000',
      KOPPEL_VERIFY_DELAY_MS: '0',
      ...env,
    };
  }

  async startWorker(cwd: string): Promise<Spawned> {
    const worker = spawnKoppel(['worker', '--concurrency', '1'], { cwd, env: this.env });
    this.workers.push(worker);
    await worker.waitFor('koppel worker: ready');
    return worker;
  }

  /** A live worker holding a chunk now (BullMQ's `processedBy` is `<host>:<pid>`). */
  async busy(): Promise<Spawned | undefined> {
    const queue = `${new KoppelKeys(this.prefix).bull}:${DEFAULT_QUEUES.chunks}`;
    for (const id of await this.redis.lrange(`${queue}:active`, 0, -1)) {
      const pid = Number((await this.redis.hget(`${queue}:${id}`, 'pb'))?.split(':').at(-1));
      const worker = this.workers.find(
        (w) => w.child.pid === pid && w.child.exitCode === null && w.child.signalCode === null,
      );
      if (worker) return worker;
    }
    return undefined;
  }

  async read(runId: string): Promise<RemoteRunMeta | undefined> {
    return new RedisRunStore(this.redis, new KoppelKeys(this.prefix)).read(runId);
  }

  async close(): Promise<number> {
    for (const worker of this.workers) worker.child.kill('SIGTERM');
    const force = setTimeout(() => {
      for (const worker of this.workers) worker.child.kill('SIGKILL');
    }, 10_000);
    await Promise.all(this.workers.map((worker) => worker.exit.catch(() => undefined)));
    clearTimeout(force);
    this.redis.disconnect();
    await dropPrefix(this.prefix);
    return dropPrefix(this.prefix);
  }
}

async function until(done: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const runIdOf = (stdout: string): string => /submitted run (\S+)/.exec(stdout)?.[1] as string;

describe('BullMQ runs: one delivery identity, complete reports, workers without the input', () => {
  const sims: Simulator[] = [];
  const dirs: string[] = [];
  const deployments: Deployment[] = [];
  let fixture: EntriesFixture;
  // (e1) a worker killed mid-run and a new one started
  let localReport: RunReport;
  let killedReport: RunReport;
  let killedSubmit: CliResult;
  let killedStored: Map<string, Set<unknown>>;
  // (e2) a worker killed and not replaced
  let stuckSubmit: CliResult;
  let stuckStatus: CliResult;
  let stuckList: CliResult;
  let stuckFinished: RemoteRunMeta | undefined;
  // (e3) the same job again: another folder, then koppel run
  let postsBefore = 0;
  let postsAfterSecondSubmit = 0;
  let postsAfterRun = 0;
  let secondSubmit: CliResult;
  let localAfter: CliResult;
  let storedAfter: Map<string, Set<unknown>>;
  // (e4) the input moved after submit
  let moved: RemoteRunMeta | undefined;
  let movedStored: Map<string, Set<unknown>>;
  let movedFixture: EntriesFixture;
  // (e5) a run that cannot go on says why
  let failedSubmit: CliResult;
  let failedStatus: CliResult;
  let failedWorkerLog = '';
  let keysLeft: number[] = [];

  const dir = async (): Promise<string> => {
    const made = await mkdtemp(join(tmpdir(), 'koppel-bullmq-delivery-'));
    dirs.push(made);
    return made;
  };
  /** Entries AFAS stored (each a distinct entry number; a second post of a voucher adds one). */
  const posts = (sim: Simulator): number =>
    [...storedEntries(sim).values()].reduce((sum, entries) => sum + entries.size, 0);

  beforeAll(async () => {
    // The in-process run of the input, against its own simulator.
    const localSim = await startSim();
    sims.push(localSim);
    const localDir = await dir();
    const localFixture = await writeEntriesFixture(localDir, localSim, {
      count: COUNT,
      concurrency: 3,
      batch: 1,
    });
    const local = await runCli(['run', localFixture.jobFile], {
      cwd: localDir,
      env: { KOPPEL_VERIFY_DELAY_MS: '0' },
    });
    expect(local.stderr).not.toMatch(/Error|error:/);
    localReport = JSON.parse(await readFile(reportPath(local.stdout), 'utf8')) as RunReport;

    // (e1) The same input submitted; one of two workers is killed mid-chunk and a new one started.
    const sim = await startSim();
    sims.push(sim);
    const home = await dir();
    fixture = await writeEntriesFixture(home, sim, { count: COUNT, concurrency: 3, batch: 1 });
    const deployment = new Deployment();
    deployments.push(deployment);
    await Promise.all([deployment.startWorker(home), deployment.startWorker(home)]);
    const submit = spawnKoppel(['submit', fixture.jobFile, '--wait', '--chunk-size', '10'], {
      cwd: home,
      env: deployment.env,
    });
    await until(async () => storedEntries(sim).size >= COUNT * 0.25, '25% stored');
    let busy: Spawned | undefined;
    await until(async () => {
      busy = await deployment.busy();
      return busy !== undefined;
    }, 'a busy worker');
    busy?.child.kill('SIGKILL');
    await busy?.exit;
    await deployment.startWorker(home);
    killedSubmit = await submit.exit;
    killedReport = JSON.parse(await readFile(reportPath(killedSubmit.stdout), 'utf8')) as RunReport;
    killedStored = storedEntries(sim);

    // (e3) The same job from another folder on the same deployment, then `koppel run` of it.
    postsBefore = posts(sim);
    const other = await dir();
    await cp(home, other, { recursive: true, filter: (source) => !source.includes('.koppel') });
    secondSubmit = await runCli(['submit', join(other, 'job.yaml'), '--wait'], {
      cwd: other,
      env: deployment.env,
    });
    postsAfterSecondSubmit = posts(sim);
    localAfter = await runCli(['run', fixture.jobFile], { cwd: home, env: deployment.env });
    postsAfterRun = posts(sim);
    storedAfter = storedEntries(sim);

    // (e2) A worker killed and not replaced: the run says INCOMPLETE and names its chunks.
    const stuckSim = await startSim();
    sims.push(stuckSim);
    const stuckDir = await dir();
    const stuckFixture = await writeEntriesFixture(stuckDir, stuckSim, {
      count: COUNT,
      concurrency: 3,
      batch: 1,
    });
    const stuck = new Deployment({ KOPPEL_WAIT_NO_WORKER_MS: '1500' });
    deployments.push(stuck);
    const only = await stuck.startWorker(stuckDir);
    const waiting = spawnKoppel(['submit', stuckFixture.jobFile, '--wait', '--chunk-size', '10'], {
      cwd: stuckDir,
      env: stuck.env,
    });
    await until(async () => storedEntries(stuckSim).size >= 20, '20 entries stored');
    only.child.kill('SIGKILL');
    await only.exit;
    stuckSubmit = await waiting.exit;
    const runId = runIdOf(stuckSubmit.stdout);
    stuckStatus = await runCli(['status', runId], { cwd: stuckDir, env: stuck.env });
    stuckList = await runCli(['status'], { cwd: stuckDir, env: stuck.env });
    // A worker started later picks the run up and finishes it.
    await stuck.startWorker(stuckDir);
    await until(async () => {
      stuckFinished = await stuck.read(runId);
      return stuckFinished !== undefined && stuckFinished.status !== 'running';
    }, 'the stuck run to finish once a worker is back');

    // (e4) The input moved away after submit: the workers never read it.
    const movedSim = await startSim();
    sims.push(movedSim);
    const movedDir = await dir();
    movedFixture = await writeEntriesFixture(movedDir, movedSim, { count: 60, concurrency: 3, batch: 1 });
    const moving = new Deployment();
    deployments.push(moving);
    const submitted = await runCli(['submit', movedFixture.jobFile], { cwd: movedDir, env: moving.env });
    expect(submitted.code).toBe(0);
    await mkdir(join(movedDir, 'archive'));
    await rename(join(movedDir, 'entries.csv'), join(movedDir, 'archive', 'entries.csv'));
    await moving.startWorker(movedDir);
    const movedId = runIdOf(submitted.stdout);
    await until(async () => {
      moved = await moving.read(movedId);
      return moved !== undefined && moved.status !== 'running';
    }, 'the run with its input moved to finish');
    movedStored = storedEntries(movedSim);

    // (e5) The job file is gone when the worker starts: every chunk fails, and the run says why.
    const goneSim = await startSim();
    sims.push(goneSim);
    const goneDir = await dir();
    const goneFixture = await writeEntriesFixture(goneDir, goneSim, { count: 30, concurrency: 3, batch: 1 });
    const gone = new Deployment();
    deployments.push(gone);
    const waitingForWorker = spawnKoppel(['submit', goneFixture.jobFile, '--wait', '--chunk-size', '10'], {
      cwd: goneDir,
      env: gone.env,
    });
    await waitingForWorker.waitFor('submitted run');
    await rename(goneFixture.jobFile, join(goneDir, 'job.yaml.old'));
    const worker = await gone.startWorker(goneDir);
    failedSubmit = await waitingForWorker.exit;
    failedStatus = await runCli(['status', runIdOf(failedSubmit.stdout)], { cwd: goneDir, env: gone.env });
    failedWorkerLog = worker.stderr();
  }, 300_000);

  afterAll(async () => {
    keysLeft = await Promise.all(deployments.map((deployment) => deployment.close()));
    await Promise.all(sims.map((sim) => sim.close()));
    await Promise.all(dirs.map((made) => rm(made, { recursive: true, force: true })));
    expect(keysLeft.every((left) => left === 0)).toBe(true);
  }, 60_000);

  it('(e1) a worker killed mid-run and a new one started: every entry stored once, the report complete', () => {
    expect([...killedStored].filter(([, entries]) => entries.size !== 1)).toEqual([]);
    expect([...killedStored.keys()].sort()).toEqual([...fixture.valid].sort());
    expect(killedSubmit.stdout).toMatch(/\d+ chunk\(s\) put back after their worker died/);
    expect(killedReport.status).toBe('finished');
    expect(killedReport.reconciliation?.holds).toBe(true);
    expect(killedReport.reconciliation?.groupsHold).toBe(true);
    expect(killedReport.reconciliation?.read).toBe(COUNT);
  });

  it('(e1) its report equals the in-process report of the same input (counts, identity, control totals)', () => {
    expect(comparable(killedReport)).toEqual(comparable(localReport));
    expect(killedReport.controlTotals.done.length).toBeGreaterThan(0);
  });

  it('(e2) with no worker left, `koppel submit --wait` says INCOMPLETE, names the chunks and exits 1', () => {
    expect(stuckSubmit.code).toBe(1);
    expect(stuckSubmit.stdout).toMatch(
      /INCOMPLETE: \d+ chunk\(s\) of run \S+ not processed \((c\d+(-r\d+)?)(, c\d+(-r\d+)?)*( and \d+ more)?\) and no `koppel worker` is connected; the counts so far are partial/,
    );
    expect(stuckSubmit.stdout).not.toMatch(/^Run \S+ finished/m);
  });

  it('(e2) `koppel status RUN` says INCOMPLETE with the same chunks, and a worker started later finishes the run', () => {
    expect(stuckStatus.code).toBe(1);
    expect(stuckStatus.stdout).toMatch(/^INCOMPLETE: \d+ chunk\(s\) .* not processed \(c\d+/);
    expect(stuckStatus.stdout).toMatch(/run: {6}\S+ \(INCOMPLETE, session 1\)/);
    expect(stuckList.stdout).toMatch(/^chaos-entries-\S+ +INCOMPLETE /m);
    expect(stuckFinished?.status).toBe('finished');
    expect(stuckFinished?.counts?.pending).toBe(0);
  });

  it('(e3) a second submit of the job from another folder sends nothing again', () => {
    expect(postsBefore).toBe(fixture.valid.length);
    expect(postsAfterSecondSubmit).toBe(postsBefore);
    expect(secondSubmit.stderr).toContain(
      `koppel: ${fixture.valid.length} record(s) delivered by earlier runs to this environment are skipped`,
    );
    expect(secondSubmit.code).toBe(2);
  });

  it('(e3) `koppel run` of the submitted job afterwards sends nothing again', () => {
    expect(localAfter.stderr).not.toMatch(/error/i);
    expect(postsAfterRun).toBe(postsBefore);
    expect([...storedAfter].filter(([, entries]) => entries.size !== 1)).toEqual([]);
  });

  it('(e5) a run whose chunks cannot run says why: submit --wait, koppel status and the worker log name chunk and reason', () => {
    expect(failedSubmit.code).toBe(1);
    expect(failedSubmit.stdout).toMatch(/30 record\(s\) were not processed \(c\d+ failed: .*job\.yaml/);
    expect(failedStatus.stdout).toMatch(/stopped: +30 record\(s\) were not processed \(c\d+ failed: /);
    expect(failedStatus.stdout).toMatch(/not run: +c\d+ failed: /);
    expect(failedWorkerLog).toMatch(/koppel worker: chunk c\d+ of run \S+ failed: .*job\.yaml/);
  });

  it('(e4) moving the input after `koppel submit` does not stop the run: workers read Redis and the job alone', () => {
    expect(moved?.status).toBe('finished');
    expect(moved?.exitCode).toBe(2);
    expect(moved?.stopReason).toBeUndefined();
    expect([...movedStored.keys()].sort()).toEqual([...movedFixture.valid].sort());
  });
});
