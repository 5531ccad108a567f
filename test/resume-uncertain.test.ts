import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { storedEntries, writeEntriesFixture } from './helpers/entries-fixture.js';
import { reportPath } from './helpers/executors.js';

const ENV = { KOPPEL_RETRY_BASE_MS: '5', KOPPEL_VERIFY_DELAY_MS: '0' };

/**
 * A record whose answer was lost (the connection reset after the request was sent) in a job
 * without verify: is named in uncertain.jsonl with what was sent and how to resolve it; it is
 * sent again only with --resend-uncertain --force-resend.
 */
describe('uncertain records without verify:', () => {
  let sim: Simulator;
  let dir: string;
  beforeEach(async () => {
    sim = await startSimulator({
      port: 0,
      faults: { rules: [{ kind: 'reset', connector: 'FiEntries', method: 'POST', nth: 3 }] },
    });
    dir = await mkdtemp(join(tmpdir(), 'koppel-uncertain-'));
  });
  afterEach(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists them in uncertain.jsonl and resends only with --force-resend', async () => {
    const fixture = await writeEntriesFixture(dir, sim, {
      count: 12,
      batch: 1,
      concurrency: 1,
      verify: false,
      invalid: false,
    });
    const args = ['run', fixture.jobFile, '--state-dir', join(dir, 'state')];
    const first = await runCli(args, { cwd: dir, env: ENV });
    expect(first.code).toBe(1);
    const report = JSON.parse(await readFile(reportPath(first.stdout), 'utf8'));
    expect(report.counts).toMatchObject({ done: 11, uncertain: 1 });
    expect(report.reconciliation).toMatchObject({ read: 12, done: 11, uncertain: 1, holds: true });
    expect(first.stdout).toContain(`uncertain: ${report.files.uncertain} (1 records`);
    const lines = (await readFile(report.files.uncertain, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line).toMatchObject({
      key: 'V000002',
      run: report.runId,
      session: 1,
      request: 3,
      element: 0,
      attempts: 1,
    });
    expect(line.sent.Fields).toMatchObject({ JoCo: '10' });
    expect(line.sent.Objects.FiEntries.Element[0].Fields.BpNr).toBe('V000002');
    expect(typeof line.reason).toBe('string');
    expect(line.sent_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(line.resolve).toContain('--resend-uncertain --force-resend');

    const refused = await runCli([...args, '--resend-uncertain'], { cwd: dir, env: ENV });
    expect(refused.code).not.toBe(0);
    expect(refused.code).not.toBe(null);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('--force-resend');

    const resent = await runCli([...args, '--resend-uncertain', '--force-resend'], { cwd: dir, env: ENV });
    expect(resent.code).toBe(0);
    expect(resent.stderr).toContain('warning: --force-resend');
    expect(storedEntries(sim).size).toBe(12);
    const after = JSON.parse(await readFile(reportPath(resent.stdout), 'utf8'));
    expect(after.counts).toMatchObject({ done: 12, uncertain: 0 });
    expect(await readFile(after.files.uncertain, 'utf8')).toBe('');
  }, 120_000);
});
