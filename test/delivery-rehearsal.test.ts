import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { storedEntries, writeEntriesFixture } from './helpers/entries-fixture.js';

describe('a rehearsal: sim reset + koppel state forget sends everything again', () => {
  let sim: Simulator;
  let dir: string;
  beforeEach(async () => {
    sim = await startSimulator({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'koppel-rehearsal-'));
  });
  afterEach(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('without forget nothing is sent after a reset; forget (dry run, keys, whole job) lets the next run send again', async () => {
    const fixture = await writeEntriesFixture(dir, sim, { count: 12, invalid: false, verify: false });
    const state = join(dir, 'state');
    const env = { KOPPEL_STATE_DIR: state, KOPPEL_RETRY_BASE_MS: '5' };
    const first = await runCli(['run', fixture.jobFile], { cwd: dir, env });
    expect(first.code).toBe(0);
    expect(storedEntries(sim).size).toBe(12);

    // The simulator's control API, as `koppel sim reset` calls it.
    const reset = await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
    expect(reset.ok).toBe(true);
    expect(storedEntries(sim).size).toBe(0);

    // Delivered before: even a new run sends nothing.
    const blocked = await runCli(['run', fixture.jobFile, '--new-run'], { cwd: dir, env });
    expect(blocked.code).toBe(0);
    expect(blocked.stderr).toContain('12 record(s) skipped as delivered');
    expect(storedEntries(sim).size).toBe(0);

    const dry = await runCli(['state', 'forget', fixture.jobFile, '--dry-run', '--limit', '3'], {
      cwd: dir,
      env,
    });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('koppel: would forget 12 delivery record(s)');
    expect(dry.stdout).toContain('... and 9 more');
    expect(dry.stdout.split('\n').filter((line) => /^ {2}V\d{6}\tdelivered\t/.test(line))).toHaveLength(3);

    // Two keys first: only those two are booked again.
    await writeFile(join(dir, 'keys.txt'), 'V000003\n# a comment\n\n');
    const two = await runCli(
      ['state', 'forget', '--scope', 'chaos-entries', '--keys', 'V000001', '--keys-file', 'keys.txt'],
      { cwd: dir, env },
    );
    expect(two.stdout).toContain('koppel: forgot 2 delivery record(s)');
    const partial = await runCli(['run', fixture.jobFile], { cwd: dir, env });
    expect(partial.code).toBe(0);
    expect([...storedEntries(sim).keys()].sort()).toEqual(['V000001', 'V000003']);

    // The rest by job: the run (same input, resumed) sends the ten others, each once.
    const all = await runCli(['state', 'forget', fixture.jobFile], { cwd: dir, env });
    expect(all.stdout).toContain('koppel: forgot 12 delivery record(s)');
    await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
    const rehearsal = await runCli(['run', fixture.jobFile], { cwd: dir, env });
    expect(rehearsal.code).toBe(0);
    const stored = storedEntries(sim);
    expect(stored.size).toBe(12);
    expect([...stored.values()].filter((entries) => entries.size !== 1)).toEqual([]);

    // A filter that matches nothing, and a forget without any filter, are refused or empty.
    const none = await runCli(['state', 'forget', '--before', '2000-01-01'], { cwd: dir, env });
    expect(none.stdout).toContain('koppel: forgot 0 delivery record(s)');
    const unfiltered = await runCli(['state', 'forget'], { cwd: dir, env });
    expect(unfiltered.code).not.toBe(0);
    expect(unfiltered.stderr).toContain('needs a job file or a filter');
    const badDate = await runCli(['state', 'forget', '--since', 'yesterday'], { cwd: dir, env });
    expect(badDate.code).not.toBe(0);
    expect(badDate.stderr).toContain('Expected --since to be a date');
  }, 120_000);
});
