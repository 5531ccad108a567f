import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAfasClient } from '@koppel/afas';
import { DEMO_TOKEN, type Simulator, startSimulator, steppingClock } from '@koppel/afas-sim';
import { JobInvalidError } from '@koppel/core';
import { runExtract } from '@koppel/runner';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';

/** Extract jobs end to end: YAML -> simulator over HTTP -> CSV/JSONL/JSON file, report, incremental state. */
const JOBS = join(ROOT, 'jobs/extract-debtors');

let sim: Simulator;
let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(async () => {
  // Changes made through UpdateConnectors are stamped just after the spring-forward of 2026.
  sim = await startSimulator({
    port: 0,
    onError: () => undefined,
    clock: steppingClock('2026-03-29T03:30:00'),
  });
  dir = await mkdtemp(join(tmpdir(), 'koppel-extract-'));
  for (const job of ['debtors.yaml', 'organisations-incremental.yaml', 'bench-rows-parallel.yaml']) {
    await cp(join(JOBS, job), join(dir, job));
  }
  env = { ...process.env, KOPPEL_DEMO_URL: sim.baseUrl() };
});
afterEach(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

const DEBTORS_CSV = [
  'DebtorId,DebtorName,CurrencyId,CreateDate,ModifiedDate',
  '10001,Bakkerij De Korenschoof,EUR,2023-02-01T09:15:00+01:00,2024-06-12T14:03:21+02:00',
  '10002,Jansen Installatietechniek,EUR,2023-03-14T10:00:00+01:00,2023-03-14T10:00:00+01:00',
  '10003,Café Noël,EUR,2023-05-20T08:30:00+02:00,2025-01-02T16:45:10+01:00',
  '10004,Stichting Groen Amersfoort,EUR,2024-01-05T11:11:11+01:00,2024-01-05T11:11:11+01:00',
  '10005,"van der Berg, P.",EUR,2024-02-29T23:59:59+01:00,2024-03-01T00:00:00+01:00',
  '',
].join('\r\n');

const jsonl = async (path: string) =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('koppel extract: files', () => {
  it('writes the CSV (datetimes as Amsterdam time with their offset, never Z) and a report', async () => {
    const report = await runExtract(join(dir, 'debtors.yaml'), { env, stateDir: join(dir, '.koppel') });
    expect(await readFile(join(dir, 'out/debtors.csv'), 'utf8')).toBe(DEBTORS_CSV);
    expect(report).toMatchObject({
      job: 'extract-debtors',
      connector: 'Profit_Debtor',
      rows: 5,
      format: 'csv',
    });
    expect(report.rows_per_second).toBeGreaterThan(0);
    const written = JSON.parse(await readFile(join(dir, 'out/debtors.csv.report.json'), 'utf8'));
    expect(written.rows).toBe(5);
    expect(written.file).toBe(join(dir, 'out/debtors.csv'));
  });

  it('writes JSONL and JSON with numbers as numbers, and leaves no temporary file', async () => {
    const text = await readFile(join(dir, 'debtors.yaml'), 'utf8');
    await writeFile(join(dir, 'a.yaml'), text.replace('out/debtors.csv', 'out/debtors.jsonl'));
    await writeFile(
      join(dir, 'b.yaml'),
      text.replace('file: out/debtors.csv', 'file: out/debtors.data\n  format: json'),
    );
    await runExtract(join(dir, 'a.yaml'), { env });
    await runExtract(join(dir, 'b.yaml'), { env });
    const lines = await jsonl(join(dir, 'out/debtors.jsonl'));
    expect(lines[4]).toEqual({
      DebtorId: '10005',
      DebtorName: 'van der Berg, P.',
      CurrencyId: 'EUR',
      CreateDate: '2024-02-29T23:59:59+01:00',
      ModifiedDate: '2024-03-01T00:00:00+01:00',
    });
    expect(JSON.parse(await readFile(join(dir, 'out/debtors.data'), 'utf8'))).toEqual(lines);
    const bench = await runExtract(join(dir, 'bench-rows-parallel.yaml'), { env });
    expect(bench.rows).toBe(1000);
    const csv = (await readFile(join(dir, 'out/bench-rows.csv'), 'utf8')).split('\r\n');
    expect(csv[0]).toBe('RowId,Code,Name,Category,Amount,Quantity,Active,BookDate,ModifiedAt,Note');
    expect(csv.slice(1, 1001).map((line) => Number(line.split(',')[0]))).toEqual(
      Array.from({ length: 1000 }, (_, i) => i + 1),
    );
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(join(dir, 'out'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('a read that fails leaves neither the file nor a temporary part, and names no token', async () => {
    sim.control.setFaults({ rules: [{ kind: 'reset', connector: 'Koppel_Bench_Rows', from: 3 }] });
    const failed = runExtract(join(dir, 'bench-rows-parallel.yaml'), { env, stateDir: join(dir, '.koppel') });
    await expect(failed).rejects.toThrow(/Koppel_Bench_Rows/);
    await expect(failed).rejects.not.toThrow(new RegExp(DEMO_TOKEN));
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(join(dir, 'out')).catch(() => [])).toEqual([]);
  });

  it('refuses a bad target and an unknown column with file:line:col and the known fields', async () => {
    const text = await readFile(join(dir, 'debtors.yaml'), 'utf8');
    await writeFile(
      join(dir, 'bad.yaml'),
      text.replace('  file: out/debtors.csv', '  file: out/debtors.csv\n  fromat: csv'),
    );
    await expect(runExtract(join(dir, 'bad.yaml'), { env })).rejects.toThrow(JobInvalidError);
    await expect(runExtract(join(dir, 'bad.yaml'), { env })).rejects.toThrow(
      /bad\.yaml:21:3: unknown key `fromat` in `target` of an extract; expected one of file, format, delimiter, bom, report/,
    );
    await writeFile(join(dir, 'col.yaml'), text.replace('CurrencyId, CreateDate', 'Currency, CreateDate'));
    await expect(runExtract(join(dir, 'col.yaml'), { env })).rejects.toThrow(
      `${join(dir, 'col.yaml')}:18:37: column \`Currency\` is not a field of GetConnector Profit_Debtor; did you mean \`CurrencyId\`?`,
    );
  });
});

describe('koppel extract: incremental', () => {
  const client = () =>
    createAfasClient({
      environmentId: '12345',
      url: sim.baseUrl(),
      auth: { type: 'token', token: DEMO_TOKEN },
    });
  const job = () => join(dir, 'organisations-incremental.yaml');
  const out = () => join(dir, 'out/organisations.jsonl');
  const stateDir = () => join(dir, '.koppel');
  const codes = async () => (await jsonl(out())).map((row) => row.BcCo);

  it('reads only rows changed since the watermark, and never a row twice at the boundary', async () => {
    const first = await runExtract(job(), { env, stateDir: stateDir() });
    expect(first.rows).toBe(7);
    expect(first.incremental).toEqual({
      since: null,
      watermark: '2025-01-02T16:45:10+01:00',
      skipped: 0,
      full_refresh: false,
    });
    const state = JSON.parse(await readFile(join(stateDir(), 'state/extract-organisations.json'), 'utf8'));
    expect(state).toMatchObject({
      watermark: '2025-01-02T16:45:10+01:00',
      seen: { '1000803': '2025-01-02T16:45:10+01:00' },
    });

    // Change one organisation and add one through the UpdateConnector (stamped by the simulator's clock).
    await client().update('KnOrganisation', {
      element: { fields: { BcCo: '1000802', Nm: 'Jansen Installatie B.V.' } },
    });
    await client().insert('KnOrganisation', { element: { fields: { BcCo: '1000900', Nm: 'Nieuw B.V.' } } });
    const stamped = sim.control
      .journal({ table: 'organisations' })
      .map((entry) => [entry.row.BcCo, entry.row.ModifiedDate]);
    expect(stamped.map(([code]) => code)).toEqual(['1000802', '1000900']);

    const second = await runExtract(job(), { env, stateDir: stateDir() });
    // The changed rows are appended to the 7 of the first run.
    expect(second.append).toEqual({ mode: 'appended', before: 7, total: 9 });
    const all = await jsonl(out());
    expect(all).toHaveLength(9);
    const rows = all.slice(7);
    expect(rows.map((row) => [row.BcCo, row.Name])).toEqual([
      ['1000802', 'Jansen Installatie B.V.'],
      ['1000900', 'Nieuw B.V.'],
    ]);
    // Amsterdam summer time starts 2026-03-29 02:00: the stamps carry +02:00.
    expect(rows.map((row) => row.ModifiedDate)).toEqual(stamped.map(([, local]) => `${local}+02:00`));
    expect(second.incremental).toEqual({
      since: '2025-01-02T16:35:10+01:00',
      watermark: `${stamped[1]?.[1]}+02:00`,
      skipped: 1,
      full_refresh: false,
    });

    // Nothing changed: the lookback re-reads both rows and skips them; the file stays as it was.
    const before = await readFile(out(), 'utf8');
    const third = await runExtract(job(), { env, stateDir: stateDir() });
    expect(third.rows).toBe(0);
    expect(third.incremental?.skipped).toBe(2);
    expect(third.append).toEqual({ mode: 'appended', before: 9, total: 9 });
    expect(await readFile(out(), 'utf8')).toBe(before);

    const full = await runExtract(job(), { env, stateDir: stateDir(), fullRefresh: true });
    expect(full.rows).toBe(8);
    expect(full.append).toBeUndefined();
    expect(await codes()).toHaveLength(8);
  });

  it('koppel state get|set|clear and --full-refresh from the CLI', async () => {
    const cli = (...args: string[]) => runCli(args, { cwd: dir, env });
    expect((await cli('state', 'get', 'extract-organisations')).code).toBe(1);
    const run = await cli('extract', 'organisations-incremental.yaml');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^koppel extract: 7 rows of Profit_Organisations to .*organisations\.jsonl in [\d.]+ s \(\d+ rows\/s\); full read, watermark 2025-01-02T16:45:10\+01:00\n$/,
    );
    const got = await cli('state', 'get', 'organisations-incremental.yaml');
    expect(JSON.parse(got.stdout).watermark).toBe('2025-01-02T16:45:10+01:00');

    // A watermark typed with the misleading Z is Amsterdam local time all the same.
    const set = await cli(
      'state',
      'set',
      'extract-organisations',
      '--field',
      'ModifiedDate',
      '--watermark',
      '2024-07-01T08:00:00Z',
    );
    expect(set.stdout).toBe('koppel: extract-organisations watermark set to 2024-07-01T08:00:00+02:00\n');
    const appended = await cli('extract', 'organisations-incremental.yaml');
    expect(appended.code).toBe(0);
    expect(appended.stdout).toMatch(
      /^koppel extract: appended 3 rows of Profit_Organisations to .*organisations\.jsonl \(now 10\) in /,
    );
    expect((await codes()).slice(7)).toEqual(['1000803', '1000812', '1000813']);

    expect((await cli('extract', 'organisations-incremental.yaml', '--full-refresh')).code).toBe(0);
    expect(await codes()).toHaveLength(7);
    expect((await cli('state', 'clear', 'extract-organisations')).stdout).toBe(
      'koppel: cleared the state of extract-organisations\n',
    );
    expect((await cli('state', 'get', 'extract-organisations')).code).toBe(1);
  }, 120_000);
});
