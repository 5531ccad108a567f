import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';
import { reportPath } from './helpers/executors.js';

/**
 * AFAS to AFAS under commit-then-timeout faults: AFAS (environment 67890) stores the
 * KnOrganisation request, then the connection breaks before the answer. The records are
 * uncertain; the job's verify: looks them up in the target and settles them: every
 * organisation exactly once, nothing left uncertain. Without verify: the job refuses to start.
 */
const JOBS = join(ROOT, 'jobs/afas-to-afas');
const ORGANISATIONS = ['1000801', '1000802', '1000803', '1000804', '1000805', '1000806'];

let sim: Simulator;
let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(async () => {
  sim = await startSimulator({
    port: 0,
    onError: () => undefined,
    seed: join(JOBS, 'two-environments.yaml'),
  });
  dir = await mkdtemp(join(tmpdir(), 'koppel-a2a-uncertain-'));
  await cp(join(JOBS, 'organisations.yaml'), join(dir, 'organisations.yaml'));
  env = {
    KOPPEL_DEMO_URL: sim.baseUrl('12345'),
    KOPPEL_TARGET_URL: sim.baseUrl('67890'),
    KOPPEL_VERIFY_DELAY_MS: '200',
    KOPPEL_RETRY_BASE_MS: '5',
  };
});
afterEach(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

/** Organisation number -> times AFAS inserted it into 67890 (simulator journal). */
const inserted = (): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const entry of sim.control.journal({ environment: '67890', table: 'organisations' })) {
    if (entry.action !== 'insert') continue;
    const code = String(entry.row.BcCo);
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  return counts;
};

describe('AFAS to AFAS with commit-then-timeout faults', () => {
  it('stores every organisation exactly once and leaves nothing uncertain', async () => {
    // Every POST of the first two commits, then the connection breaks before the answer.
    sim.control.setFaults({
      rules: [
        {
          kind: 'commitThenDelay',
          connector: 'KnOrganisation',
          method: 'POST',
          environment: '67890',
          times: 2,
          ms: 50,
          destroy: true,
        },
      ],
    });
    const run = await runCli(['run', 'organisations.yaml', '--state-dir', join(dir, 'state')], {
      cwd: dir,
      env,
    });
    expect(run.stderr).not.toContain('internal error');
    expect(run.code).toBe(0);
    expect(inserted()).toEqual(new Map(ORGANISATIONS.map((code) => [code, 1])));
    const report = JSON.parse(await readFile(reportPath(run.stdout), 'utf8'));
    expect(report.counts).toMatchObject({ done: 6, uncertain: 0, pending: 0, rejected: 0 });
    expect(report.reconciliation).toMatchObject({ read: 6, done: 6, uncertain: 0, holds: true });
    // The broken requests were looked up in the target, not sent again.
    const posts = sim.control
      .stats()
      .requests.filter(
        (r) => r.environment === '67890' && r.connector === 'KnOrganisation' && r.method === 'POST',
      )
      .reduce((sum, r) => sum + r.count, 0);
    const lookups = sim.control
      .stats()
      .requests.filter((r) => r.environment === '67890' && r.connector === 'Profit_Organisations')
      .reduce((sum, r) => sum + r.count, 0);
    expect(lookups).toBeGreaterThan(0);
    const lines = (await readFile(report.files.results, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.key).sort()).toEqual(ORGANISATIONS);
    const looked = lines.filter((l) => l.result_scope === 'lookup');
    expect(looked.length).toBeGreaterThan(0);
    for (const line of looked) expect(line.result.BcCo).toBe(line.key);
    // Nothing uncertain is listed.
    expect(await readFile(join(report.files.uncertain), 'utf8')).toBe('');
    // One request carried all six, its answer was lost, the lookup found them: never sent again.
    expect(posts).toBe(1);
    expect(report.session.failedRequests).toBe(1);
  });

  it('refuses to start an insert without verify:, in one line naming the job', async () => {
    const job = join(dir, 'organisations.yaml');
    const text = await readFile(job, 'utf8');
    await writeFile(job, text.slice(0, text.indexOf('# An insert whose answer is lost')));
    const run = await runCli(['run', 'organisations.yaml', '--state-dir', join(dir, 'state')], {
      cwd: dir,
      env,
    });
    expect(run.code).not.toBe(0);
    expect(run.stderr).not.toContain('internal error');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('organisations.yaml: an AFAS-to-AFAS insert needs verify:');
    expect(inserted().size).toBe(0);
  });
});
