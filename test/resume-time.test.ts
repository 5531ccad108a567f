import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, finished, runCli, spawnCli } from './helpers/cli.js';
import { type EntriesFixture, storedEntries, writeEntriesFixture } from './helpers/entries-fixture.js';
import { reportPath } from './helpers/executors.js';

/** AFAS commits the second request this long after it arrived. */
const COMMIT_MS = 12_000;
/** The job's verify.delay: no lookup before the send time plus this. */
const DELAY_MS = 15_000;

const waitUntil = async (check: () => boolean, timeoutMs: number): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

/**
 * `koppel run` killed with SIGKILL while AFAS is still working on a POST of 8 entries (it
 * commits 12 s after the request arrived), then run again at once: the resumed run must not
 * look the 8 records up before their send time + verify.delay, so it finds them and sends
 * nothing twice (an early lookup finds nothing and books all 8 a second time).
 */
describe('a run killed while AFAS is still processing a POST, resumed at once', () => {
  let sim: Simulator;
  let dir: string;
  let fixture: EntriesFixture;
  let resumed: CliResult;
  let storedAtKill = 0;
  /** When the test saw the second request at AFAS (its send time is at most this). */
  let seenInFlightAt = 0;
  /** When the resumed run had ended (at least its real end). */
  let resumedEndedAt = 0;

  beforeAll(async () => {
    sim = await startSimulator({
      port: 0,
      faults: { rules: [{ kind: 'latency', connector: 'FiEntries', method: 'POST', nth: 2, ms: COMMIT_MS }] },
    });
    dir = await mkdtemp(join(tmpdir(), 'koppel-resume-time-'));
    fixture = await writeEntriesFixture(dir, sim, { count: 40, batch: 8, concurrency: 1, invalid: false });
    const env = {
      KOPPEL_RETRY_BASE_MS: '5',
      KOPPEL_VERIFY_DELAY_MS: String(DELAY_MS),
      KOPPEL_STATE_DIR: join(dir, 'state'),
    };
    const args = ['run', fixture.jobFile, '--state-dir', join(dir, 'state')];
    const child = spawnCli(args, { cwd: dir, env });
    const exit = finished(child);
    // The first request is stored; the second one has arrived and AFAS is working on it.
    await waitUntil(
      () => storedEntries(sim).size === 8 && (sim.control.stats().inFlight['12345']?.now ?? 0) > 0,
      60_000,
    );
    seenInFlightAt = Date.now();
    await new Promise((r) => setTimeout(r, 800));
    storedAtKill = storedEntries(sim).size;
    child.kill('SIGKILL');
    await exit;
    resumed = await runCli(args, { cwd: dir, env });
    resumedEndedAt = Date.now();
  }, 120_000);
  afterAll(async () => {
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores every entry exactly once (simulator journal)', async () => {
    expect(storedAtKill).toBe(8);
    // The killed POST has ended at AFAS (committed), so a resend would show as a duplicate now.
    await waitUntil(() => (sim.control.stats().inFlight['12345']?.now ?? 1) === 0, 30_000);
    const killed = sim.control.stats().requests.find((r) => r.connector === 'FiEntries' && r.status === 0);
    expect(killed?.count).toBe(1);
    expect(resumed.stderr).not.toContain('internal error');
    const stored = storedEntries(sim);
    expect([...stored].filter(([, entries]) => entries.size !== 1).map(([voucher]) => voucher)).toEqual([]);
    expect([...stored.keys()].sort()).toEqual([...fixture.valid].sort());
  });

  it('settles the 8 in-flight records by a lookup made after send time + verify.delay', async () => {
    expect(resumed.code).toBe(0);
    const report = JSON.parse(await readFile(reportPath(resumed.stdout), 'utf8'));
    expect(report.counts).toMatchObject({ done: 40, uncertain: 0, pending: 0 });
    expect(report.reconciliation).toMatchObject({ read: 40, done: 32, skippedSettled: 8, holds: true });
    const lines = (await readFile(report.files.results, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // The killed request (session 1, request 2): settled by the lookup, not sent again.
    const looked = lines.filter((l) => l.session === 1 && l.request === 2);
    expect(looked.every((l) => l.result_scope === 'lookup')).toBe(true);
    expect(looked).toHaveLength(8);
    const stored = storedEntries(sim);
    for (const line of looked) expect(stored.get(line.key)?.has(Number(line.result.EnNo))).toBe(true);
    // The resumed run waited for send time + verify.delay instead of looking the records up at
    // once (that would end about a second after the kill). Measured from when the test saw the
    // request at AFAS, so a slow start of the resumed CLI on a loaded machine cannot fail it; the
    // 3 s allow for the poll noticing the request late.
    expect(resumedEndedAt - seenInFlightAt).toBeGreaterThanOrEqual(DELAY_MS - 3000);
  });
});
