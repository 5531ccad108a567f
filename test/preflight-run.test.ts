import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { storedEntries, writeEntriesFixture } from './helpers/entries-fixture.js';

const ENV = { KOPPEL_RETRY_BASE_MS: '5', KOPPEL_RETRY_MAX_MS: '50', KOPPEL_VERIFY_DELAY_MS: '0' };

/** UpdateConnector requests the simulator answered (anything sent to FiEntries). */
const sentRequests = (sim: Simulator): number =>
  sim.control
    .stats()
    .requests.filter((r) => r.connector === 'FiEntries' && r.method !== 'GET')
    .reduce((sum, r) => sum + r.count, 0);

/** The fixture job with `run.on_invalid` set to `value` (or removed: the default, stop). */
async function onInvalid(jobFile: string, value: 'stop' | 'reject' | undefined): Promise<void> {
  const text = await readFile(jobFile, 'utf8');
  await writeFile(jobFile, text.replace(' on_invalid: reject,', value ? ` on_invalid: ${value},` : ''));
}

describe('the pre-flight of koppel run: nothing is sent when the input has problems', () => {
  let sim: Simulator;
  let dir: string;
  beforeEach(async () => {
    sim = await startSimulator({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'koppel-preflight-'));
  });
  afterEach(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('an unbalanced entry and a duplicate key at the end of a 2,000-row file: the run sends nothing and prints the summary', async () => {
    const fixture = await writeEntriesFixture(dir, sim, { count: 1000, invalid: false, batch: 20 });
    await onInvalid(fixture.jobFile, undefined);
    // Line 2002-2003: an entry that does not balance; 2004-2005: V000003 again under another entry.
    await appendFile(
      join(dir, 'entries.csv'),
      'X1;1;4000;X1;Regel;10,00;\nX1;1;1100;X1;Tegen;;9,99\nX2;1;4000;V000003;Regel;5,00;\nX2;1;1100;V000003;Tegen;;5,00\n',
    );
    const result = await runCli(['run', fixture.jobFile], { cwd: dir, env: ENV });
    expect(result.code).not.toBe(0);
    expect(sentRequests(sim)).toBe(0);
    expect(storedEntries(sim).size).toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toBe(
      'koppel: pre-flight: 2 of 1002 document(s) in entries.csv are invalid; nothing was sent',
    );
    expect(result.stderr).toContain('  1 × duplicate keys:\n');
    expect(result.stderr).toContain(
      '      duplicate key `V000003`: first seen at line 8; keys must be unique in an input\n',
    );
    expect(result.stderr).toContain('  1 × unbalanced documents (debit != credit):\n');
    expect(result.stderr).toMatch(/record X1 \(entries\.csv:2002-2003\): entry is not balanced/);
    expect(result.stderr).toContain('set `run: { on_invalid: reject }`');
    expect(result.stderr).not.toContain('internal error');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    // Refused before the run starts: no run is recorded, the summary is the whole output.
    expect(result.stderr.startsWith('koppel: pre-flight: ')).toBe(true);
    expect(result.stdout).toBe('');
  }, 120_000);

  it('with run.on_invalid: reject the good entries are sent and the bad ones rejected', async () => {
    const fixture = await writeEntriesFixture(dir, sim, { count: 1000, invalid: false, batch: 20 });
    await appendFile(
      join(dir, 'entries.csv'),
      'X1;1;4000;X1;Regel;10,00;\nX1;1;1100;X1;Tegen;;9,99\nX2;1;4000;V000003;Regel;5,00;\nX2;1;1100;V000003;Tegen;;5,00\n',
    );
    const result = await runCli(['run', fixture.jobFile], { cwd: dir, env: ENV });
    expect(result.stderr).not.toContain('pre-flight');
    expect(result.stdout).toMatch(
      /records: 1000 done, 2 rejected .*, 0 uncertain, 0 pending \(of 1002 seen\)/,
    );
    expect(sentRequests(sim)).toBeGreaterThanOrEqual(50);
    const stored = storedEntries(sim);
    expect(stored.size).toBe(1000);
    expect(stored.get('V000003')?.size).toBe(1);
    expect(stored.has('X1')).toBe(false);
  }, 120_000);

  it('plan and run agree on a duplicate key: plan rejects it, and the run rejects the same record', async () => {
    const fixture = await writeEntriesFixture(dir, sim, { count: 20, invalid: false, batch: 5 });
    await appendFile(
      join(dir, 'entries.csv'),
      'X2;1;4000;V000003;Regel;5,00;\nX2;1;1100;V000003;Tegen;;5,00\n',
    );
    const plan = await runCli(['plan', fixture.jobFile, '--json'], { cwd: dir, env: ENV });
    expect(plan.stderr).toContain('plan: 4 request(s) for 20 document(s), 1 rejected; nothing was sent');
    const planned = plan.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { reject?: { key: string; message: string } })
      .filter((entry) => entry.reject);
    expect(planned).toEqual([
      {
        reject: {
          key: 'V000003 (line 42)',
          message: 'duplicate key `V000003`: first seen at line 8; keys must be unique in an input',
        },
      },
    ]);
    const run = await runCli(['run', fixture.jobFile], { cwd: dir, env: ENV });
    expect(run.stdout).toMatch(/records: 20 done, 1 rejected .*, 0 uncertain, 0 pending \(of 21 seen\)/);
    const rejects = /rejects: (\S+\.csv)/.exec(run.stdout)?.[1] ?? '';
    const lines = (await readFile(rejects, 'utf8')).trim().split('\n');
    // The header and the two rows of the second V000003 entry, with the plan's message.
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(
      'duplicate key `V000003`: first seen at line 8; keys must be unique in an input',
    );
    expect(lines[1]?.startsWith('X2;1;4000;V000003;')).toBe(true);
  }, 120_000);

  it('a byte that is not UTF-8 in the last row stops the run before the first request, even with reject', async () => {
    const fixture = await writeEntriesFixture(dir, sim, { count: 1000, invalid: false, batch: 20 });
    const job = await readFile(fixture.jobFile, 'utf8');
    await writeFile(
      fixture.jobFile,
      job.replace('csv: { path: entries.csv,', 'csv: { path: entries.csv, encoding: utf-8,'),
    );
    await appendFile(
      join(dir, 'entries.csv'),
      Buffer.concat([Buffer.from('X1;1;4000;X1;Regel '), Buffer.from([0xff]), Buffer.from(';5,00;\n')]),
    );
    const result = await runCli(['run', fixture.jobFile], { cwd: dir, env: ENV });
    expect(result.code).not.toBe(0);
    expect(sentRequests(sim)).toBe(0);
    // Refused while the input is opened (its encoding is checked over the whole file) or by the pre-flight.
    expect(result.stderr).toMatch(/^koppel: (pre-flight: )?entries\.csv:2002:20: /m);
    expect(result.stderr).not.toContain('internal error');
  }, 120_000);
});
