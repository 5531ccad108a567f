import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { finished, ROOT, runCli, spawnCli } from './helpers/cli.js';
import { DEMO_TOKEN, storedEntries, writeEntriesFixture } from './helpers/entries-fixture.js';

const ENV = { KOPPEL_RETRY_BASE_MS: '5', KOPPEL_RETRY_MAX_MS: '50', KOPPEL_VERIFY_DELAY_MS: '0' };
const post = { connector: 'FiEntries', method: 'POST' };

describe('koppel run (CLI)', () => {
  let sim: Simulator;
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'koppel-cli-'));
  });
  afterEach(async () => {
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stops on Ctrl-C after finishing what is in flight, says how to resume, and resumes exactly once', async () => {
    sim = await startSimulator({ port: 0, faults: { rules: [{ kind: 'latency', ...post, ms: 20 }] } });
    const fixture = await writeEntriesFixture(dir, sim, { count: 600, batch: 1 });
    const child = spawnCli(['run', fixture.jobFile], { cwd: dir, env: ENV });
    const result = finished(child);
    await new Promise<void>((resolve) => child.stderr?.once('data', () => resolve()));
    await new Promise((r) => setTimeout(r, 400));
    child.kill('SIGINT');
    const stopped = await result;
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain('koppel: stopping: finishing requests in flight');
    expect(stopped.stdout).toContain('stopped: interrupted; records in flight were finished');
    expect(stopped.stdout).toContain('resume: run the same command again');
    const report = JSON.parse(await readFile(/report: {2}(\S+)/.exec(stopped.stdout)?.[1] ?? '', 'utf8'));
    expect(report.counts.uncertain).toBe(0);
    expect(report.counts.done).toBe(storedEntries(sim).size);
    expect(report.counts.done).toBeLessThan(fixture.valid.length);

    const resumed = await runCli(['run', fixture.jobFile], { cwd: dir, env: ENV });
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toContain(`koppel: resuming run ${report.runId}`);
    const stored = storedEntries(sim);
    expect([...stored.values()].filter((entries) => entries.size !== 1)).toEqual([]);
    expect(stored.size).toBe(fixture.valid.length);

    const runs = await runCli(['runs'], { cwd: dir });
    expect(runs.stdout).toMatch(
      new RegExp(
        `${report.runId}\\s+finished\\s+${fixture.valid.length}\\s+${fixture.invalid.size}\\s+0\\s+0`,
      ),
    );
    const show = await runCli(['runs', 'show', report.runId], { cwd: dir });
    expect(show.stdout).toContain(`run:     ${report.runId} (finished)`);
    expect(show.stdout).toContain(
      `counts:  0 pending, ${fixture.valid.length} done, ${fixture.invalid.size} rejected, 0 uncertain`,
    );
    expect(show.stdout.match(/ exit \d/g)).toEqual([' exit 1', ' exit 2']);
  }, 120_000);

  it('keeps the cap of 8 across two koppel processes writing to the same environment', async () => {
    sim = await startSimulator({ port: 0, faults: { rules: [{ kind: 'latency', ...post, ms: 15 }] } });
    const { mkdir } = await import('node:fs/promises');
    const jobs = [];
    for (const prefix of ['A', 'B']) {
      await mkdir(join(dir, prefix));
      jobs.push(
        await writeEntriesFixture(join(dir, prefix), sim, { count: 300, batch: 1, invalid: false, prefix }),
      );
    }
    const env = { ...ENV, KOPPEL_SLOTS_DIR: join(dir, 'slots') };
    const results = await Promise.all(jobs.map((job) => runCli(['run', job.jobFile], { cwd: dir, env })));
    expect(results.map((r) => r.code)).toEqual([0, 0]);
    expect(storedEntries(sim).size).toBe(600);
    expect(sim.control.stats().inFlight['12345']?.max).toBeLessThanOrEqual(8);
  }, 120_000);

  it('holds uncertain records without verify:, and sends them with --resend-uncertain', async () => {
    sim = await startSimulator({ port: 0, faults: { rules: [{ kind: 'reset', ...post, nth: 3 }] } });
    const fixture = await writeEntriesFixture(dir, sim, {
      count: 20,
      batch: 1,
      concurrency: 1,
      verify: false,
      invalid: false,
    });
    const first = await runCli(['run', fixture.jobFile], { cwd: dir, env: ENV });
    expect(first.code).toBe(1);
    expect(first.stdout).toContain('records: 19 done, 0 rejected, 1 uncertain, 0 pending (of 20 seen)');
    expect(first.stdout).toContain(
      'add verify: to the job to look them up, or check them in Profit and run again with --resend-uncertain',
    );
    const again = await runCli(['run', fixture.jobFile], { cwd: dir, env: ENV });
    expect(again.code).toBe(1);
    // The held record is counted as uncertain (not as settled before): the identity holds.
    expect(again.stdout).toContain('this session: 0 done, 0 rejected, 1 uncertain, 19 skipped');
    expect(again.stdout).toContain('1 uncertain: holds');
    // Without verify: --resend-uncertain alone refuses (it cannot tell what AFAS stored).
    const refused = await runCli(['run', fixture.jobFile, '--resend-uncertain'], { cwd: dir, env: ENV });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('has no verify: to look uncertain records up first');
    expect(refused.stderr).toContain('--force-resend');
    const resent = await runCli(['run', fixture.jobFile, '--resend-uncertain', '--force-resend'], {
      cwd: dir,
      env: ENV,
    });
    expect(resent.stderr).toContain('an insert that AFAS stored is booked twice');
    expect(resent.code).toBe(0);
    expect(resent.stdout).toContain('records: 20 done, 0 rejected, 0 uncertain, 0 pending');
    expect(storedEntries(sim).size).toBe(20);
  }, 120_000);

  it('stops with advice when AFAS refuses the token, and never prints the token', async () => {
    sim = await startSimulator({ port: 0 });
    const fixture = await writeEntriesFixture(dir, sim, { count: 5 });
    const wrong = 'ab'.repeat(32);
    const job = (await readFile(fixture.jobFile, 'utf8')).replace(DEMO_TOKEN, wrong);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(fixture.jobFile, job);
    const result = await runCli(['run', fixture.jobFile, '--log-format', 'json'], { cwd: dir, env: ENV });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^koppel: .*401/m);
    expect(result.stdout + result.stderr).not.toContain(wrong);
    expect(result.stdout + result.stderr).not.toContain(Buffer.from(wrong).toString('base64'));
  }, 120_000);

  it('writes JSON log lines with --log-format json and never the token', async () => {
    sim = await startSimulator({ port: 0, faults: { rules: [{ kind: 'locked', ...post, nth: 2 }] } });
    const fixture = await writeEntriesFixture(dir, sim, { count: 10, batch: 1, invalid: false });
    const result = await runCli(['run', fixture.jobFile, '--log-format', 'json'], { cwd: dir, env: ENV });
    expect(result.code).toBe(0);
    const lines = result.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.some((line) => line.msg === 'retry' && line.attempt === 1)).toBe(true);
    expect(lines.filter((line) => line.msg === 'settled' && line.state === 'done').length).toBe(10);
    const report = JSON.parse(result.stdout);
    expect(report.counts).toEqual({ pending: 0, done: 10, rejected: 0, uncertain: 0, total: 10 });
    expect(result.stdout + result.stderr).not.toContain(DEMO_TOKEN);
  }, 120_000);
});

describe('koppel demo', () => {
  it('runs the demo jobs against an embedded simulator and exits 0: its rejects are deliberate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'koppel-demo-'));
    const result = await runCli(['demo'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Demo finished. The rejected records are wrong on purpose');
    expect(result.stdout).toContain(
      'records: 7 done, 3 rejected (1 before sending, 2 by AFAS), 0 uncertain, 0 pending (of 10 seen)',
    );
    expect(result.stdout).toContain(
      'records: 6 done, 2 rejected (1 before sending, 1 by AFAS), 0 uncertain, 0 pending (of 8 seen)',
    );
    const rejects = /rejects: (\S+)/.exec(result.stdout)?.[1] ?? '';
    const text = await readFile(rejects, 'utf8');
    expect(text.split('\n')[0]).toBe(
      'entry_no;year;period;journal;account_kind;account;entry_date;voucher_no;description;debit;credit;koppel_error;koppel_profit_log_reference',
    );
    expect(text).toContain('entry is not balanced');
    expect(text).toContain('periode 8 van het jaar 2024 geblokkeerd');
    await rm(dir, { recursive: true, force: true });
  }, 120_000);
});

describe('koppel run by job kind', () => {
  const JOBS = join(ROOT, 'jobs/afas-to-afas');
  let sim: Simulator;
  let dir: string;
  afterEach(async () => {
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs an AFAS-to-AFAS job through its GetConnector source, exactly once across two runs', async () => {
    sim = await startSimulator({
      port: 0,
      onError: () => undefined,
      seed: join(JOBS, 'two-environments.yaml'),
    });
    dir = await mkdtemp(join(tmpdir(), 'koppel-cli-a2a-'));
    await cp(join(JOBS, 'organisations.yaml'), join(dir, 'organisations.yaml'));
    const env = { KOPPEL_DEMO_URL: sim.baseUrl('12345'), KOPPEL_TARGET_URL: sim.baseUrl('67890') };
    const first = await runCli(['run', 'organisations.yaml'], { cwd: dir, env });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('records: 6 done, 0 rejected, 0 uncertain, 0 pending (of 6 seen)');
    const again = await runCli(['run', 'organisations.yaml'], { cwd: dir, env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('this session: 0 done, 0 rejected, 0 uncertain, 6 skipped');
    const inserted = sim.control
      .journal({ environment: '67890', table: 'organisations' })
      .map((entry) => `${entry.action} ${String(entry.row.BcCo)}`);
    expect(inserted).toEqual(['801', '802', '803', '804', '805', '806'].map((n) => `insert 1000${n}`));
    const input = await runCli(['run', 'organisations.yaml', '--input', 'x.csv'], { cwd: dir, env });
    expect(input.code).toBe(2);
    expect(input.stderr).toBe(
      'koppel: --input replaces a file source, but organisations.yaml reads a GetConnector; run it without --input\n',
    );
  }, 120_000);

  it('refuses an extract job in one line that names the command to use', async () => {
    dir = await mkdtemp(join(tmpdir(), 'koppel-cli-extract-'));
    const job = join(ROOT, 'jobs/extract-debtors/debtors.yaml');
    const result = await runCli(['run', job], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `koppel: ${job} is an extract (target: file); run it with \`koppel extract ${job}\`\n`,
    );
    expect(result.stdout).toBe('');
  }, 60_000);
});
