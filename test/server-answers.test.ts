import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FaultRule, type Simulator, startSimulator } from '@koppel/afas-sim';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { storedEntries, writeEntriesFixture } from './helpers/entries-fixture.js';

const ENV = { KOPPEL_RETRY_BASE_MS: '5', KOPPEL_RETRY_MAX_MS: '50', KOPPEL_VERIFY_DELAY_MS: '0' };
const post = { connector: 'FiEntries', method: 'POST' } as const;
const COUNT = 12;

/** The vouchers AFAS stored more than once (must be none) and how many it stored in all. */
function journal(sim: Simulator): { twice: string[]; stored: number } {
  const stored = storedEntries(sim);
  return {
    twice: [...stored].filter(([, entries]) => entries.size > 1).map(([voucher]) => voucher),
    stored: stored.size,
  };
}

async function report(stdout: string): Promise<{
  counts: Record<string, number>;
  files: { rejects: string };
}> {
  return JSON.parse(await readFile(/report: {2}(\S+)/.exec(stdout)?.[1] ?? '', 'utf8'));
}

/**
 * Answers that are not AFAS's (a proxy or gateway in front of Profit, a hang) against `koppel run`
 * over HTTP: a record is done only on a well-formed answer, and the journal proves every entry
 * is stored exactly once.
 */
describe('server answers are checked, never assumed (koppel run against the simulator)', () => {
  let sim: Simulator | undefined;
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'koppel-answers-'));
  });
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  const faults: Array<[string, FaultRule, boolean]> = [
    ['200 with a garbage body (nothing committed)', { kind: 'garbage200', ...post, nth: 3 }, false],
    ['200 HTML login page (nothing committed)', { kind: 'htmlLogin200', ...post, nth: 3 }, false],
    ['201 without results (committed)', { kind: 'resultsMissing201', ...post, nth: 3 }, true],
    ['502 HTML page after the commit', { kind: 'gatewayError', status: 502, ...post, nth: 3 }, true],
    ['504 HTML page after the commit', { kind: 'gatewayError', status: 504, ...post, nth: 3 }, true],
    [
      '504 HTML page before the commit',
      { kind: 'gatewayError', status: 504, commit: false, ...post, nth: 3 },
      false,
    ],
  ];

  it.each(faults)(
    '%s: uncertain, settled by verify:, stored exactly once',
    async (_name, rule, committed) => {
      sim = await startSimulator({ port: 0, faults: { rules: [rule] } });
      const fixture = await writeEntriesFixture(dir, sim, {
        count: COUNT,
        batch: 1,
        concurrency: 1,
        invalid: false,
      });
      const result = await runCli(['run', fixture.jobFile, '--log-format', 'json'], { cwd: dir, env: ENV });
      expect(result.stderr).not.toContain('internal error');
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const lines = result.stderr
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      // The faulty answer made one record uncertain (never done, never rejected) ...
      expect(lines.filter((line) => line.msg === 'settled' && line.state === 'uncertain').length).toBe(1);
      expect(lines.filter((line) => line.msg === 'settled' && line.state === 'rejected').length).toBe(0);
      const summary = JSON.parse(result.stdout);
      expect(summary.counts).toMatchObject({
        pending: 0,
        done: COUNT,
        rejected: 0,
        uncertain: 0,
        total: COUNT,
      });
      // ... and the lookup found it (committed) or sent it again once (not committed).
      expect(journal(sim)).toEqual({ twice: [], stored: COUNT });
      const posts = sim.control
        .stats()
        .requests.filter((r) => r.connector === 'FiEntries' && r.method === 'POST')
        .reduce((sum, r) => sum + r.count, 0);
      expect(posts).toBe(committed ? COUNT : COUNT + 1);
    },
    120_000,
  );

  it('a garbage 200 without verify: stays uncertain with advice, never done or rejected', async () => {
    sim = await startSimulator({ port: 0, faults: { rules: [{ kind: 'garbage200', ...post, nth: 2 }] } });
    const fixture = await writeEntriesFixture(dir, sim, {
      count: 6,
      batch: 1,
      concurrency: 1,
      verify: false,
      invalid: false,
    });
    const result = await runCli(['run', fixture.jobFile], { cwd: dir, env: ENV });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toMatch(/records: 5 done, 0 rejected[^,\n]*, 1 uncertain, 0 pending \(of 6 seen\)/);
    expect(result.stdout).toContain('add verify: to the job to look them up');
    expect(journal(sim)).toEqual({ twice: [], stored: 5 });
  }, 120_000);

  it('a rejects file fed back never double-posts a record a gateway 504 answered after the commit', async () => {
    sim = await startSimulator({
      port: 0,
      faults: { rules: [{ kind: 'gatewayError', status: 504, ...post, nth: 2 }] },
    });
    const fixture = await writeEntriesFixture(dir, sim, {
      count: 40,
      batch: 1,
      concurrency: 1,
      verify: false,
    });
    const first = await runCli(['run', fixture.jobFile], { cwd: dir, env: ENV });
    expect(first.code).not.toBe(0);
    const { counts, files } = await report(first.stdout);
    expect(counts).toMatchObject({
      done: fixture.valid.length - 1,
      rejected: fixture.invalid.size,
      uncertain: 1,
    });
    const rows = parse(await readFile(files.rejects), { delimiter: ';', columns: true }) as Array<
      Record<string, string>
    >;
    const rejected = new Set(rows.map((row) => row.voucher_no));
    expect([...rejected].sort()).toEqual([...fixture.invalid.keys()].sort());
    expect(rows.every((row) => !/504|gateway/i.test(row.koppel_error ?? ''))).toBe(true);
    const again = await runCli(['run', fixture.jobFile, '--input', files.rejects], { cwd: dir, env: ENV });
    expect(again.stderr).not.toContain('internal error');
    // The 504'd entry was committed once and is not in the rejects file: nothing is stored twice.
    expect(journal(sim)).toEqual({ twice: [], stored: fixture.valid.length });
    // The rejects were sent again (and AFAS rejected them again), nothing else.
    expect((await report(again.stdout)).counts).toMatchObject({ done: 0, rejected: fixture.invalid.size });
  }, 120_000);

  it.each([
    ['KOPPEL_FIRST_BYTE_TIMEOUT_MS', '1.5 s'],
    ['run.timeouts.first_byte_ms', '1.2 s'],
  ])(
    'a hanging POST ends within the first-byte timeout (%s), naming the phase; verify: settles it',
    async (knob, shown) => {
      sim = await startSimulator({ port: 0, faults: { rules: [{ kind: 'hang', ...post, nth: 2 }] } });
      const fixture = await writeEntriesFixture(dir, sim, {
        count: 4,
        batch: 1,
        concurrency: 1,
        invalid: false,
      });
      const env: NodeJS.ProcessEnv = { ...ENV };
      if (knob.startsWith('KOPPEL_')) env[knob] = '1500';
      else {
        const job = await readFile(fixture.jobFile, 'utf8');
        const edited = job.replace(
          'retry: { max_attempts: 8 } }',
          'retry: { max_attempts: 8 }, timeouts: { first_byte_ms: 1200 } }',
        );
        expect(edited).not.toBe(job);
        await writeFile(fixture.jobFile, edited);
      }
      const started = Date.now();
      const result = await runCli(['run', fixture.jobFile, '--log-format', 'json'], { cwd: dir, env });
      const elapsed = Date.now() - started;
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stderr).toContain(`no answer within ${shown} (timeouts.firstByteMs, first byte)`);
      expect(elapsed).toBeLessThan(30_000);
      expect(JSON.parse(result.stdout).counts).toMatchObject({ done: 4, uncertain: 0, rejected: 0 });
      expect(journal(sim)).toEqual({ twice: [], stored: 4 });
    },
    120_000,
  );

  it.each(['validate', 'plan'])(
    'koppel %s against a hanging metainfo endpoint exits within ~15 s naming what it waited on',
    async (command) => {
      sim = await startSimulator({ port: 0, faults: { rules: [{ kind: 'hang', connector: 'metainfo' }] } });
      const fixture = await writeEntriesFixture(dir, sim, { count: 2 });
      const started = Date.now();
      const result = await runCli([command, fixture.jobFile], { cwd: dir, env: ENV });
      const elapsed = Date.now() - started;
      expect(result.code).not.toBe(0);
      expect(elapsed).toBeLessThan(20_000);
      const text = result.stdout + result.stderr;
      expect(text).toMatch(
        /metainfo of FiEntries at http:\/\/127\.0\.0\.1:\d+\/\S+\/metainfo\/update\/FiEntries: no answer in 10 s/,
      );
      expect(text).not.toMatch(/\n\s+at /);
    },
    60_000,
  );
});
