import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { KoppelKeys, openRedis, startWorker } from '@koppel/runner/bullmq';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPrefix, freshPrefix, REDIS_URL } from '../packages/runner/test/bullmq/redis-env.js';
import { type CliResult, spawnKoppel, withoutProgress } from './helpers/cli.js';
import { type EntriesFixture, storedEntries, writeEntriesFixture } from './helpers/entries-fixture.js';

const ENV = { KOPPEL_RETRY_BASE_MS: '5', KOPPEL_RETRY_MAX_MS: '50', KOPPEL_VERIFY_DELAY_MS: '0' };

/** A CSV cell, quoted when it holds the delimiter, a quote or a line break (AFAS messages do). */
const cell = (value: string): string => (/[;"\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** The rejects file of the entries fixture fixed as a user would: known account, open period, balanced. */
function fixed(text: string): string {
  const rows = parse(text, { delimiter: ';', columns: true }) as Record<string, string>[];
  const header = Object.keys(rows[0] ?? {});
  const debit = new Map(rows.filter((row) => row.amount).map((row) => [row.entry_no, row.amount]));
  const lines = rows.map((row) => {
    const repaired: Record<string, string | undefined> = {
      ...row,
      account: row.account === '7777' ? '4000' : row.account,
      period: row.period === '8' ? '1' : row.period,
      amount_credit: row.amount_credit === '0,01' ? debit.get(row.entry_no) : row.amount_credit,
    };
    return header.map((column) => cell(repaired[column] ?? '')).join(';');
  });
  return `${[header.join(';'), ...lines].join('\n')}\n`;
}

describe('koppel submit --input: feeding fixed rejects back to a distributed run', () => {
  let sim: Simulator;
  let dir: string;
  let prefix: string;
  let fixture: EntriesFixture;
  const submitted: CliResult[] = [];
  let keysLeft = -1;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, update: { multiElementResults: 'array' } });
    dir = await mkdtemp(join(tmpdir(), 'koppel-bullmq-input-'));
    prefix = freshPrefix();
    fixture = await writeEntriesFixture(dir, sim, { count: 200, batch: 5 });
    const redis = openRedis(REDIS_URL);
    const worker = startWorker({ redis, keys: new KoppelKeys(prefix), env: { ...process.env, ...ENV } });
    const env = { ...ENV, REDIS_URL, KOPPEL_REDIS_PREFIX: prefix };
    const submit = async (...args: string[]): Promise<CliResult> => {
      const result = await spawnKoppel(['submit', fixture.jobFile, '--wait', ...args], { cwd: dir, env })
        .exit;
      submitted.push(result);
      return result;
    };
    try {
      const first = await submit();
      const rejects = /rejects: (\S+) \(6 records\)/.exec(first.stdout)?.[1] ?? '';
      await writeFile(join(dir, 'fixed.csv'), fixed(await readFile(rejects, 'utf8')));
      await submit('--input', 'fixed.csv');
      await submit();
    } finally {
      await worker.close();
      redis.disconnect();
      await dropPrefix(prefix);
      keysLeft = await dropPrefix(prefix);
    }
  }, 120_000);

  afterAll(async () => {
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('says how to feed the fixed rejects back with koppel submit', () => {
    const [first] = submitted;
    expect(first?.code).toBe(2);
    expect(first?.stdout).toContain(
      'records: 194 done, 6 rejected (2 before sending, 4 by AFAS), 0 uncertain, 0 pending (of 200 seen)',
    );
    expect(first?.stdout).toMatch(/then run: koppel submit \S+job\.yaml --input \S+rejects\.fixed\.csv/);
  });

  it('runs the fixed file as a new run that sends only the fixed records; every entry stored once', () => {
    const [first, again] = submitted;
    // The fixed rows were never delivered (AFAS refused them): nothing to skip, nothing carried.
    // Only the progress of --wait (plain lines, not a terminal): no warning.
    expect(withoutProgress(again?.stderr ?? '')).toBe('');
    expect(again?.stdout).toContain('records: 6 done, 0 rejected');
    expect(again?.code).toBe(0);
    expect(again?.stdout).toContain('this session: 6 done, 0 rejected, 0 uncertain, 0 skipped');
    const runId = (out = '') => /submitted run (\S+)/.exec(out)?.[1];
    expect(runId(again?.stdout)).not.toBe(runId(first?.stdout));
    const stored = storedEntries(sim);
    expect(stored.size).toBe(200);
    expect([...stored.values()].filter((entries) => entries.size !== 1)).toEqual([]);
  });

  it('resumes the original input as its own run: nothing is sent twice', () => {
    const [first, , last] = submitted;
    expect(last?.stdout).toContain(`submitted run ${/submitted run (\S+)/.exec(first?.stdout ?? '')?.[1]}`);
    expect(last?.stdout).toContain('this session: 0 done, 0 rejected, 0 uncertain, 200 skipped');
    expect(storedEntries(sim).size).toBe(200);
  });

  it('deletes every key of the test prefix afterwards', () => {
    expect(keysLeft).toBe(0);
  });
});
