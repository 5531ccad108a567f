import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { storedEntries, writeEntriesFixture } from './helpers/entries-fixture.js';

const ENV = { KOPPEL_RETRY_BASE_MS: '5', KOPPEL_VERIFY_DELAY_MS: '0' };

describe('feeding fixed rows back (a new run of the same job)', () => {
  let sim: Simulator;
  let dir: string;
  beforeEach(async () => {
    sim = await startSimulator({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'koppel-rerun-'));
  });
  afterEach(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['', ENV],
    // The ledger index spills to disk every 8 keys: resume and carry-over read it back from there.
    [' (ledger index on disk)', { ...ENV, KOPPEL_LEDGER_MEMORY_KEYS: '8' }],
  ])(
    'sends only the fixed records; what was done before is never sent again%s',
    async (_, env) => {
      const fixture = await writeEntriesFixture(dir, sim, { count: 200, batch: 'auto' });
      const first = await runCli(['run', fixture.jobFile], { cwd: dir, env });
      expect(first.code).toBe(2);
      const resumed = await runCli(['run', fixture.jobFile], { cwd: dir, env });
      expect(resumed.stdout).toContain('this session: 0 done, 0 rejected, 0 uncertain, 200 skipped');
      // Fix the rows of the unknown account in the input itself (a new input identity).
      const input = join(dir, 'entries.csv');
      await writeFile(input, (await readFile(input, 'utf8')).replaceAll(';7777;', ';4000;'));
      const second = await runCli(['run', fixture.jobFile], { cwd: dir, env });
      expect(second.code).toBe(2);
      expect(second.stderr).toContain(
        `koppel: ${fixture.valid.length} record(s) skipped as delivered: delivered by earlier runs`,
      );
      expect(second.stdout).toContain(
        `records: ${fixture.valid.length + 2} done, 4 rejected (2 before sending, 2 by AFAS), 0 uncertain, 0 pending (of 200 seen)`,
      );
      expect(second.stdout).toContain('this session: 2 done, 4 rejected, 0 uncertain, 194 skipped');
      const stored = storedEntries(sim);
      expect([...stored.values()].filter((entries) => entries.size !== 1)).toEqual([]);
      expect(stored.size).toBe(fixture.valid.length + 2);
      const again = await runCli(['run', fixture.jobFile, '--new-run'], { cwd: dir, env });
      expect(again.stdout).toContain('this session: 0 done, 4 rejected, 0 uncertain, 196 skipped');
      expect(storedEntries(sim).size).toBe(fixture.valid.length + 2);
    },
    120_000,
  );
});
