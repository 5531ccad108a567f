import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliResult } from './helpers/cli.js';
import { type EntriesFixture, storedEntries, writeEntriesFixture } from './helpers/entries-fixture.js';
import { EXECUTORS, type KilledRun, reportPath } from './helpers/executors.js';

const write = { connector: 'FiEntries', method: 'POST' };
const FAULTS = {
  seed: 3,
  rules: [
    { kind: 'latency' as const, ...write, ms: 4 },
    { kind: 'maintenance' as const, ...write, probability: 0.05, retryAfter: 0.005 },
    { kind: 'locked' as const, ...write, probability: 0.03 },
    { kind: 'commitThenDelay' as const, ...write, probability: 0.02, ms: 400 },
  ],
};
const ENV = {
  KOPPEL_REQUEST_TIMEOUT_MS: '200',
  KOPPEL_RETRY_BASE_MS: '5',
  KOPPEL_RETRY_MAX_MS: '50',
  KOPPEL_VERIFY_DELAY_MS: '0',
  // The local ledger keeps 8 keys in memory and the rest in its on-disk index, so every resume
  // after a kill reads settled records back from disk (the Redis ledger ignores it).
  KOPPEL_LEDGER_MEMORY_KEYS: '8',
};
const KILLS = 4;

/**
 * One suite, both executors: `koppel run` killed and run again (local), or `koppel worker`
 * processes killed mid-chunk and replaced while `koppel submit --wait` follows the run (bullmq).
 */
describe.each(EXECUTORS)('a run killed with SIGKILL at random points, then resumed: $name', (executor) => {
  let sim: Simulator;
  let dir: string;
  let fixture: EntriesFixture;
  let run: KilledRun | undefined;
  const killedAfter: number[] = [];
  const killedBy: string[] = [];
  let last: CliResult;
  let interrupted = -1;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, faults: FAULTS, update: { multiElementResults: 'array' } });
    dir = await mkdtemp(join(tmpdir(), 'koppel-kill-'));
    fixture = await writeEntriesFixture(dir, sim, { count: 3000, batch: 4 });
    run = executor.killed(fixture.jobFile, { cwd: dir, env: ENV });
    for (let kill = 0; kill < KILLS; kill++) {
      // Wait until records are being sent, then kill a sending process after a random moment.
      await run.sending();
      const delay = 150 + Math.floor(Math.random() * 600);
      killedAfter.push(delay);
      await new Promise((r) => setTimeout(r, delay));
      killedBy.push(await run.kill());
    }
    last = await run.resume();
    interrupted = await run.interrupted(last);
  }, 240_000);
  afterAll(async () => {
    await run?.close();
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('ends with every valid entry stored exactly once (simulator journal)', () => {
    expect(killedBy).toEqual(Array(KILLS).fill('SIGKILL'));
    expect(last.stderr).not.toContain('internal error');
    const stored = storedEntries(sim);
    const duplicates = [...stored].filter(([, entries]) => entries.size !== 1).map(([voucher]) => voucher);
    expect(duplicates).toEqual([]);
    expect([...stored.keys()].sort()).toEqual([...fixture.valid].sort());
  });

  it('reconciles the uncertain records through verify: and reports a settled run', async () => {
    expect(last.code).toBe(2);
    const report = JSON.parse(await readFile(reportPath(last.stdout), 'utf8'));
    expect(report.counts).toEqual({
      pending: 0,
      done: fixture.valid.length,
      rejected: fixture.invalid.size,
      uncertain: 0,
      total: 3000,
    });
    expect(interrupted).toBe(KILLS);
    const lookups = sim.control
      .stats()
      .requests.filter((r) => r.connector === 'Profit_Fin_Entries' && r.method === 'GET' && r.status === 200);
    expect(lookups.reduce((sum, r) => sum + r.count, 0)).toBeGreaterThan(0);
    expect(sim.control.stats().inFlight['12345']?.max).toBeLessThanOrEqual(8);
    const results = (await readFile(report.files.results, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const stored = storedEntries(sim);
    expect(results.filter((r) => !stored.get(r.key)?.has(Number(r.result.EnNo)))).toEqual([]);
  });
});
