import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliResult } from './helpers/cli.js';
import { type EntriesFixture, storedEntries, writeEntriesFixture } from './helpers/entries-fixture.js';
import { EXECUTORS, reportPath } from './helpers/executors.js';

const COUNT = 10_000;
const write = { connector: 'FiEntries', method: 'POST' };
/** 10% 503s, 5% lock 500s, 2% connection resets, 1% committed but answered after the client timeout. */
const CHAOS = {
  seed: 7,
  rules: [
    { kind: 'latency' as const, ...write, ms: 1 },
    { kind: 'maintenance' as const, ...write, probability: 0.1, retryAfter: 0.005 },
    { kind: 'locked' as const, ...write, probability: 0.05 },
    { kind: 'reset' as const, ...write, probability: 0.02 },
    { kind: 'commitThenDelay' as const, ...write, probability: 0.01, ms: 800 },
  ],
};
const ENV = {
  KOPPEL_REQUEST_TIMEOUT_MS: '300',
  KOPPEL_RETRY_BASE_MS: '5',
  KOPPEL_RETRY_MAX_MS: '50',
  // The settle window: lookups of an unanswered request start 1 s after its send. The simulator runs in
  // this test's process, so on a loaded machine it may commit a POST long after the client gave up
  // at 300 ms; with no window the lookups can come first and the record end uncertain.
  KOPPEL_VERIFY_DELAY_MS: '1000',
};

/**
 * One suite, both executors: `koppel run` (local) and `koppel submit` + two `koppel worker`
 * processes (bullmq; every Redis connection of the deployment is also dropped once mid-run).
 */
describe.each(EXECUTORS)('a run against a faulty simulator (10,000 entries): $name', (executor) => {
  let sim: Simulator;
  let dir: string;
  let fixture: EntriesFixture;
  let result: CliResult;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, faults: CHAOS, update: { multiElementResults: 'array' } });
    dir = await mkdtemp(join(tmpdir(), 'koppel-chaos-'));
    fixture = await writeEntriesFixture(dir, sim, { count: COUNT, batch: 'auto' });
    result = await executor.run(fixture.jobFile, { cwd: dir, env: ENV });
  }, 240_000);
  afterAll(async () => {
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores every valid entry exactly once and none of the invalid ones', () => {
    expect(result.stderr).not.toContain('internal error');
    const stored = storedEntries(sim);
    const duplicates = [...stored].filter(([, entries]) => entries.size !== 1).map(([voucher]) => voucher);
    expect(duplicates).toEqual([]);
    expect(stored.size).toBe(fixture.valid.length);
    expect(fixture.valid.every((voucher) => stored.has(voucher))).toBe(true);
  });

  it('exits 2 and writes every invalid record to the rejects file with its message', async () => {
    expect(result.code).toBe(2);
    const report = JSON.parse(await readFile(reportPath(result.stdout), 'utf8'));
    const rows = parse(await readFile(report.files.rejects), { delimiter: ';', columns: true }) as Record<
      string,
      string
    >[];
    const byVoucher = new Map<string, string>();
    for (const row of rows) byVoucher.set(row.voucher_no ?? '', row.koppel_error ?? '');
    expect([...byVoucher.keys()].sort()).toEqual([...fixture.invalid.keys()].sort());
    for (const [voucher, message] of fixture.invalid) expect(byVoucher.get(voucher)).toContain(message);
    expect(rows.length).toBe(fixture.invalid.size * 2);
    const fromAfas = rows.filter((row) => !row.koppel_error?.startsWith('record '));
    expect(fromAfas.every((row) => /^[0-9A-F]{32}$/.test(row.koppel_profit_log_reference ?? ''))).toBe(true);
  });

  it('keeps ledger, results and report consistent', async () => {
    const report = JSON.parse(await readFile(reportPath(result.stdout), 'utf8'));
    expect(report.counts).toEqual({
      pending: 0,
      done: fixture.valid.length,
      rejected: fixture.invalid.size,
      uncertain: 0,
      total: COUNT,
    });
    expect(report.status).toBe('finished');
    expect(report.session.retries).toBeGreaterThan(0);
    expect(report.session.waits).toBeGreaterThan(0);
    expect(report.session.bisections).toBeGreaterThan(0);
    const results = (await readFile(report.files.results, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(results.length).toBe(fixture.valid.length);
    const stored = storedEntries(sim);
    const mismatched = results.filter((r) => !stored.get(r.key)?.has(Number(r.result.EnNo)));
    expect(mismatched).toEqual([]);
    const debit = report.controlTotals.done.reduce(
      (sum: number, t: { entries: number }) => sum + t.entries,
      0,
    );
    expect(debit).toBe(fixture.valid.length);
  });

  it('never has more than 8 requests in flight at the simulator', () => {
    const inFlight = sim.control.stats().inFlight['12345'];
    expect(inFlight?.max).toBeLessThanOrEqual(8);
    expect(inFlight?.max).toBeGreaterThan(1);
  });
});
