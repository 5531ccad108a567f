import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { prepareJobRun, type RunReport, runSession } from '@koppel/runner';
import {
  KoppelKeys,
  openRedis,
  RedisRunStore,
  type RemoteRunMeta,
  startWorker,
  submitRun,
} from '@koppel/runner/bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPrefix, freshPrefix, REDIS_URL } from '../packages/runner/test/bullmq/redis-env.js';
import { spawnKoppel, withoutProgress } from './helpers/cli.js';
import { writeEntriesFixture } from './helpers/entries-fixture.js';

const COUNT = 120;
const ENV = { ...process.env, KOPPEL_VERIFY_DELAY_MS: '0' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What must agree between a local and a submitted run: the run's files, without generated ids. */
interface Outputs {
  report: RunReport;
  /** Rejects rows (CSV) without the last column (AFAS's log reference differs per request). */
  rejects: string[];
  /** Results: record key -> the result's field names. */
  results: [string, string[]][];
  /** The record keys of the results file, in its order. */
  order: string[];
}

async function readOutputs(files: RunReport['files']): Promise<Outputs> {
  const report = JSON.parse(await readFile(files.report, 'utf8')) as RunReport;
  const rejects = (await readFile(files.rejects, 'utf8'))
    .trimEnd()
    .split('\n')
    .map((line) => line.slice(0, line.lastIndexOf(';')));
  const lines = (await readFile(files.results, 'utf8'))
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as { key: string; result: Record<string, string> });
  const results = lines
    .map(({ key, result }): [string, string[]] => [key, Object.keys(result).sort()])
    .sort(([a], [b]) => a.localeCompare(b));
  return { report, rejects, results, order: lines.map((line) => line.key) };
}

describe('outputs of a submitted run (BullMQ) equal those of `koppel run`', () => {
  let sim: Simulator;
  let dir: string;
  let prefix: string;
  let local: Outputs;
  let remote: Outputs;
  let rewritten: Outputs;
  let resumedOutputs: Outputs;
  let resumed: { code: number | null; stdout: string; stderr: string } | undefined;
  let writeOutputs: { code: number | null; stdout: string; stderr: string } | undefined;
  let meta: RemoteRunMeta | undefined;
  let localRunId = '';
  let runsTable = '';
  let runsShow = '';
  let invalid: string[] = [];
  let valid: string[] = [];
  let keysLeft = -1;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, update: { multiElementResults: 'array' } });
    dir = await mkdtemp(join(tmpdir(), 'koppel-bullmq-out-'));
    prefix = freshPrefix();
    await mkdir(join(dir, 'local'));
    await mkdir(join(dir, 'remote'));
    const options = { count: COUNT, concurrency: 4, batch: 1 };
    const localJob = await writeEntriesFixture(join(dir, 'local'), sim, options);
    const remoteJob = await writeEntriesFixture(join(dir, 'remote'), sim, options);
    invalid = [...localJob.invalid.keys()];
    valid = remoteJob.valid;

    const session = await runSession(await prepareJobRun(localJob.jobFile, { env: ENV }), {
      stateDir: join(dir, '.koppel'),
      log: { plainIntervalMs: 60_000, stream: new PassThrough().resume() },
    });
    localRunId = session.runId;
    local = await readOutputs(session.report.files);

    const redis = openRedis(REDIS_URL, `koppel-${prefix}-test`);
    const keys = new KoppelKeys(prefix);
    const worker = startWorker({ redis, keys, concurrency: 4, env: ENV });
    try {
      const submitted = await submitRun(remoteJob.jobFile, { redis, keys, env: ENV, chunkSize: 15 });
      const store = new RedisRunStore(redis, keys);
      const deadline = Date.now() + 60_000;
      for (;;) {
        meta = await store.read(submitted.runId);
        if (meta?.status !== 'running' && meta?.sessions.at(-1)?.endedAt) break;
        if (Date.now() > deadline)
          throw new Error(`run ${submitted.runId} not finalised: ${JSON.stringify(meta)}`);
        await sleep(50);
      }
      remote = await readOutputs(meta.files as RunReport['files']);
      const env = { REDIS_URL, KOPPEL_REDIS_PREFIX: prefix };
      const again = join(dir, 'again');
      const status = spawnKoppel(['status', submitted.runId, '--write-outputs', again], { cwd: dir, env });
      writeOutputs = { ...(await status.exit), stdout: status.stdout(), stderr: status.stderr() };
      rewritten = await readOutputs({
        results: join(again, 'results.jsonl'),
        rejects: join(again, 'rejects.csv'),
        report: join(again, 'report.json'),
        summary: join(again, 'report.txt'),
        ledger: '',
      });
      const runs = spawnKoppel(['runs', '--redis'], { cwd: dir, env });
      await runs.exit;
      runsTable = runs.stdout();
      // Submitting again resumes the run: a second session that settles nothing new, files written here too.
      const resubmit = spawnKoppel(['submit', remoteJob.jobFile, '--write-outputs', join(dir, 'resumed')], {
        cwd: dir,
        env,
      });
      resumed = { ...(await resubmit.exit), stdout: resubmit.stdout(), stderr: resubmit.stderr() };
      resumedOutputs = await readOutputs({
        results: join(dir, 'resumed', 'results.jsonl'),
        rejects: join(dir, 'resumed', 'rejects.csv'),
        report: join(dir, 'resumed', 'report.json'),
        summary: join(dir, 'resumed', 'report.txt'),
        ledger: '',
      });
      const show = spawnKoppel(['runs', 'show', submitted.runId, '--redis'], { cwd: dir, env });
      await show.exit;
      runsShow = show.stdout() + show.stderr();
    } finally {
      await worker.close();
      redis.disconnect();
      await dropPrefix(prefix);
      keysLeft = await dropPrefix(prefix);
    }
  }, 120_000);

  afterAll(async () => {
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the three files beside the job file (.koppel/runs/<runId>/) and records them in the run', () => {
    const runDir = join(dir, 'remote', '.koppel', 'runs', meta?.runId ?? '?');
    expect(meta?.files).toEqual({
      results: join(runDir, 'results.jsonl'),
      rejects: join(runDir, 'rejects.csv'),
      report: join(runDir, 'report.json'),
      summary: join(runDir, 'report.txt'),
      uncertain: join(runDir, 'uncertain.jsonl'),
      ledger: `${prefix}:k:ledger:${meta?.runId}`,
    });
    expect(meta?.summary).toContain(`rejects: ${join(runDir, 'rejects.csv')} (${invalid.length} records`);
  });

  it('has the same counts, exit code and control totals as the local run', () => {
    expect(remote.report.counts).toMatchObject({
      pending: 0,
      done: COUNT - invalid.length,
      rejected: invalid.length,
      uncertain: 0,
      total: COUNT,
    });
    expect(remote.report.counts).toEqual(local.report.counts);
    // The same identity line: read = sent + skipped + rejected before sending + by AFAS + uncertain.
    expect(remote.report.reconciliation).toEqual(local.report.reconciliation);
    expect(remote.report.reconciliation?.holds).toBe(true);
    expect([remote.report.status, remote.report.exitCode]).toEqual(['finished', 2]);
    expect([local.report.status, local.report.exitCode]).toEqual(['finished', 2]);
    expect(remote.report.session.done).toBe(local.report.session.done);
    expect(remote.report.session.rejected).toBe(local.report.session.rejected);
    expect(remote.report.controlTotals.done.length).toBeGreaterThan(0);
    expect(remote.report.controlTotals).toEqual(local.report.controlTotals);
  });

  it('writes the same rejects (input format, same rows, same messages) and results keys', () => {
    expect(remote.rejects.length).toBe(1 + 2 * invalid.length);
    expect(remote.rejects[0]).toBe(
      'entry_no;period;account;voucher_no;description;amount;amount_credit;koppel_error',
    );
    expect(remote.rejects).toEqual(local.rejects);
    expect(remote.results.length).toBe(COUNT - invalid.length);
    expect(remote.results).toEqual(local.results);
    expect(remote.results[0]).toEqual(['V000000', ['EnNo', 'UnId']]);
  });

  it("writes the results in the input's order, as they are read again and resumed", () => {
    expect(remote.order).toEqual(valid);
    expect(rewritten.order).toEqual(valid);
    expect(resumedOutputs.order).toEqual(valid);
  });

  it('writes the same files again on demand (`koppel status RUN --write-outputs DIR`)', () => {
    expect(writeOutputs?.stderr).toBe('');
    expect(writeOutputs?.code).toBe(0);
    expect(writeOutputs?.stdout).toContain(`Run ${meta?.runId} finished in`);
    expect(rewritten.rejects).toEqual(remote.rejects);
    expect(rewritten.results).toEqual(remote.results);
    expect(rewritten.report.counts).toEqual(remote.report.counts);
    expect(rewritten.report.controlTotals).toEqual(remote.report.controlTotals);
    expect(rewritten.report.files.report).toBe(join(dir, 'again', 'report.json'));
  });

  it('resumes on a second submit (nothing sent again) and writes the files where --write-outputs says', () => {
    // Only the progress of --write-outputs' wait (plain lines, not a terminal): no warning.
    expect(withoutProgress(resumed?.stderr ?? '')).toBe('');
    expect(resumed?.code).toBe(2);
    expect(resumed?.stdout).toContain(
      `koppel: results, rejects and report also written to ${join(dir, 'resumed')}`,
    );
    expect(resumedOutputs.report.counts).toEqual(remote.report.counts);
    expect(resumedOutputs.report.session).toMatchObject({
      done: 0,
      rejected: 0,
      skipped: COUNT,
      requests: 0,
    });
    expect(resumedOutputs.report.controlTotals).toEqual(remote.report.controlTotals);
    expect(resumedOutputs.rejects).toEqual(remote.rejects);
    expect(resumedOutputs.results).toEqual(remote.results);
  });

  it('lists local and Redis runs in one table (`koppel runs --redis`) and shows a Redis run', () => {
    const valid = String(COUNT - invalid.length);
    const n = String(invalid.length);
    expect(runsTable).toMatch(new RegExp(`${localRunId}\\s+finished\\s+${valid}\\s+${n}\\s+0\\s+0\\s+local`));
    expect(runsTable).toMatch(
      new RegExp(`${meta?.runId}\\s+finished\\s+${valid}\\s+${n}\\s+0\\s+0\\s+redis`),
    );
    expect(runsShow).toContain(`run:      ${meta?.runId} (finished, session 2)`);
    expect(runsShow).toContain(`records:  ${valid} done, ${n} rejected, 0 uncertain, 0 pending`);
  });

  it('deletes every key of the test prefix afterwards', () => {
    expect(keysLeft).toBe(0);
  });
});
