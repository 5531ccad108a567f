import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { storedEntries, writeEntriesFixture } from './helpers/entries-fixture.js';

describe('delivery identity does not depend on folders or job paths (FiEntries, mode once)', () => {
  let sim: Simulator;
  let dir: string;
  beforeEach(async () => {
    sim = await startSimulator({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'koppel-folders-'));
  });
  afterEach(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('the same job from two working directories and from a copied job file books each entry once', async () => {
    const jobs = join(dir, 'jobs');
    await mkdir(jobs);
    const fixture = await writeEntriesFixture(jobs, sim, { count: 30, invalid: false, verify: false });
    // No --state-dir and no KOPPEL_STATE_DIR: the per-user default ($XDG_STATE_HOME/koppel).
    const env = { KOPPEL_STATE_DIR: '', XDG_STATE_HOME: join(dir, 'xdg'), KOPPEL_RETRY_BASE_MS: '5' };
    const here = join(dir, 'here');
    const there = join(dir, 'there');
    await mkdir(here);
    await mkdir(there);

    const first = await runCli(['run', fixture.jobFile], { cwd: here, env });
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(`in ${join(dir, 'xdg', 'koppel', 'delivery')}`);
    expect(storedEntries(sim).size).toBe(30);

    // Another working directory: the same run (same scope and input content), nothing to send.
    const second = await runCli(['run', fixture.jobFile], { cwd: there, env });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('this session: 0 done');

    // A copy of the job and its input elsewhere, with one entry added: a new run; the 30 are
    // skipped as delivered, only the new one is booked.
    const copy = join(dir, 'copy');
    await mkdir(copy);
    await copyFile(fixture.jobFile, join(copy, 'renamed-job.yaml'));
    const input = await readFile(join(jobs, 'entries.csv'), 'utf8');
    await writeFile(
      join(copy, 'entries.csv'),
      `${input}N000001;1;4000;N000001;Nieuw;12,50;\nN000001;1;1100;N000001;Tegen;;12,50\n`,
    );
    const third = await runCli(['run', 'renamed-job.yaml', '--new-run'], { cwd: copy, env });
    expect(third.code).toBe(0);
    expect(third.stderr).toContain('30 record(s) skipped as delivered');
    expect(third.stdout).toContain('this session: 1 done');

    const stored = storedEntries(sim);
    expect(stored.size).toBe(31);
    expect([...stored.entries()].filter(([, entries]) => entries.size !== 1)).toEqual([]);
    const inserts = sim.control.journal({ table: 'entries' }).filter((entry) => entry.action === 'insert');
    // Two lines per entry, each line once.
    expect(inserts).toHaveLength(62);

    // `koppel plan` from yet another folder agrees: everything is delivered.
    const plan = await runCli(['plan', join(copy, 'renamed-job.yaml')], { cwd: here, env });
    expect(plan.code).toBe(0);
    expect(plan.stderr).toContain('0 to send, 0 changed, 31 skipped as delivered');
  }, 120_000);

  it('two jobs naming one delivery.scope share their records; another scope does not', async () => {
    const env = { KOPPEL_STATE_DIR: join(dir, 'state'), KOPPEL_RETRY_BASE_MS: '5' };
    const withScope = async (sub: string, name: string, scope: string, count = 8): Promise<string> => {
      const at = join(dir, sub);
      await mkdir(at);
      const fixture = await writeEntriesFixture(at, sim, { count, invalid: false, verify: false, name });
      const text = await readFile(fixture.jobFile, 'utf8');
      await writeFile(fixture.jobFile, `${text}delivery: { scope: ${scope}, mode: once }\n`);
      return fixture.jobFile;
    };
    const a = await withScope('a', 'memoriaal-a', 'memoriaal');
    // Job b reads the same eight entries and one more.
    const b = await withScope('b', 'memoriaal-b', 'memoriaal', 9);
    expect((await runCli(['run', a], { cwd: dir, env })).code).toBe(0);
    const shared = await runCli(['run', b], { cwd: dir, env });
    expect(shared.code).toBe(0);
    expect(shared.stderr).toContain('delivery scope memoriaal (FiEntries, mode once)');
    expect(shared.stderr).toContain('8 record(s) skipped as delivered');
    expect(shared.stdout).toContain('this session: 1 done');
    expect(storedEntries(sim).size).toBe(9);
    expect([...storedEntries(sim).values()].filter((entries) => entries.size !== 1)).toEqual([]);
    // The other scope has no records: its plan would send all eight (and a run would book them twice).
    const other = await withScope('c', 'memoriaal-c', 'inkoop');
    const plan = await runCli(['plan', other], { cwd: dir, env });
    expect(plan.stderr).toContain(
      'plan: delivery (inkoop, FiEntries, mode once): 8 to send, 0 changed, 0 skipped as delivered',
    );
  }, 120_000);
});
