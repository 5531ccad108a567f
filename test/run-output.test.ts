import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { loadRunJob, prepareJobRun, runSession } from '@koppel/runner';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeEntriesFixture } from './helpers/entries-fixture.js';

describe('run outputs and job keys of the runner', { timeout: 60_000 }, () => {
  let sim: Simulator;
  let dir: string;
  beforeEach(async () => {
    sim = await startSimulator({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'koppel-out-'));
  });
  afterEach(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes results, rejects and report where output: says, relative to the job file', async () => {
    const fixture = await writeEntriesFixture(dir, sim, { count: 100, batch: 1 });
    const job = await readFile(fixture.jobFile, 'utf8');
    await writeFile(fixture.jobFile, `${job}output:\n  dir: out\n  rejects: fix/entries-rejects.csv\n`);
    const { report } = await runSession(await prepareJobRun(fixture.jobFile), {
      stateDir: join(dir, '.koppel'),
      log: { plainIntervalMs: 60_000 },
    });
    expect(report.files).toMatchObject({
      results: join(dir, 'out', 'results.jsonl'),
      rejects: join(dir, 'fix', 'entries-rejects.csv'),
      report: join(dir, 'out', 'report.json'),
      summary: join(dir, 'out', 'report.txt'),
    });
    await access(report.files.report);
    await access(report.files.summary);
    const rejects = (await readFile(report.files.rejects, 'utf8')).trim().split('\n');
    expect(rejects.length).toBe(1 + 2 * fixture.invalid.size);
    const results = (await readFile(report.files.results, 'utf8')).trim().split('\n');
    expect(results.length).toBe(fixture.valid.length);
    expect(JSON.parse(results[0] ?? '{}')).toEqual({
      key: 'V000000',
      run: report.runId,
      session: 1,
      request: expect.any(Number),
      element: expect.any(Number),
      result: { UnId: '1', EnNo: expect.stringMatching(/^\d+$/) },
      result_scope: expect.stringMatching(/^(element|lookup)$/),
      ...(JSON.parse(results[0] ?? '{}').request_result ? { request_result: expect.any(Object) } : {}),
    });
  });

  it('keeps file:line:col of other problems when reading verify: and output:', async () => {
    const fixture = await writeEntriesFixture(dir, sim, { count: 3, verify: false });
    const job = (await readFile(fixture.jobFile, 'utf8')).replace('run: {', 'run: { colour: red,');
    await writeFile(
      fixture.jobFile,
      `verify:\n  get_connector: Profit_Fin_Entries\n  filter: { VoucherNo: "{voucher_no}" }\n${job}`,
    );
    const line = job.split('\n').findIndex((l) => l.startsWith('run: {')) + 4;
    await expect(loadRunJob(fixture.jobFile)).rejects.toThrow(
      new RegExp(`job\\.yaml:${line}:\\d+: .*colour`),
    );
  });

  it('says what is wrong with verify:', async () => {
    const fixture = await writeEntriesFixture(dir, sim, { count: 3, verify: false });
    const job = await readFile(fixture.jobFile, 'utf8');
    await writeFile(fixture.jobFile, `${job}verify:\n  get_connector: Profit_Fin_Entries\n  filter: {}\n`);
    const line = job.split('\n').length + 2; // the filter line of the appended block
    await expect(loadRunJob(fixture.jobFile)).rejects.toThrow(
      `${fixture.jobFile}:${line}:11: \`verify.filter\``,
    );
  });
});
