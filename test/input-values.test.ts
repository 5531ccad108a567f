import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { DEMO_TOKEN } from './helpers/entries-fixture.js';

const ENV = { KOPPEL_RETRY_BASE_MS: '5', KOPPEL_RETRY_MAX_MS: '50', KOPPEL_VERIFY_DELAY_MS: '0' };
const HEADER = 'voucher;date;account;amount;amount_credit';

function job(sim: Simulator, options: { date: string; csv?: string }): string {
  return `version: 1
name: input-values
connection: { url: ${sim.baseUrl()}, token: ${DEMO_TOKEN}, language: nl-nl }
source:
  csv: { path: entries.csv, delimiter: ";", decimal: ","${options.csv ?? ''} }
key: "{voucher}"
target:
  update_connector: FiEntries
  group_by: voucher
  element:
    fields: { Year: 2024, Peri: 1, UnId: 1, JoCo: { const: "10" } }
    objects:
      FiEntries:
        each: row
        fields:
          VaAs: { const: "1" }
          AcNr: account
          EnDa: { column: date, type: date, date: "${options.date}" }
          BpDa: { column: date, type: date, date: "${options.date}" }
          BpNr: voucher
          Ds: { const: "x" }
          AmDe: { column: amount, type: decimal, default: "0" }
          AmCr: { column: amount_credit, type: decimal, default: "0" }
  checks: [balanced]
run: { batch: 1, on_invalid: reject }
`;
}

/** Two balanced lines per voucher, both on `date`. */
const rows = (entries: [string, string][]): string =>
  `${[HEADER, ...entries.flatMap(([v, d]) => [`${v};${d};4000;12,50;`, `${v};${d};1100;;12,50`])].join('\n')}\n`;

async function findFile(dir: string, test: (name: string) => boolean): Promise<string | undefined> {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && test(entry.name)) return join(entry.parentPath, entry.name);
  }
  return undefined;
}

describe('input values: strict dates, control characters, empty input', () => {
  let sim: Simulator;
  let dir: string;
  beforeEach(async () => {
    sim = await startSimulator({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'koppel-values-'));
  });
  afterEach(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  const writes = () => sim.control.stats().requests.filter((r) => r.method !== 'GET').length;
  const stored = () =>
    new Map(
      sim.control
        .journal({ table: 'entries' })
        .filter((e) => e.action === 'insert')
        .map((e) => [String(e.row.VoucherNo), String(e.row.EntryDate).slice(0, 10)]),
    );

  it('d-M-yyyy reads Dutch Excel dates; impossible days are rejected per record with key and column, the rest is sent', async () => {
    await writeFile(join(dir, 'job.yaml'), job(sim, { date: 'd-M-yyyy' }));
    await writeFile(
      join(dir, 'entries.csv'),
      rows([
        ['V1', '1-2-2024'],
        ['V2', '31-2-2024'],
        ['V3', '29-2-2023'],
        ['V4', '1-13-2024'],
        ['V5', '15-12-2024'],
        ['V6', '29-2-2024'],
      ]),
    );
    const result = await runCli(['run', 'job.yaml'], { cwd: dir, env: ENV });
    expect(result.code).toBe(2);
    expect(stored()).toEqual(
      new Map([
        ['V1', '2024-02-01'],
        ['V5', '2024-12-15'],
        ['V6', '2024-02-29'],
      ]),
    );
    const rejects = await readFile((await findFile(dir, (n) => n.startsWith('rejects')))!, 'utf8');
    const messageOf = (voucher: string) => rejects.split('\n').find((l) => l.startsWith(`${voucher};`)) ?? '';
    expect(messageOf('V2')).toContain('record V2: entries.csv:4: ');
    expect(messageOf('V2')).toContain(
      '(FiEntries.EnDa): expected a valid date like d-M-yyyy, got ""31-2-2024"": February 2024 has no day 31 (it has 29 days)',
    );
    expect(messageOf('V3')).toContain('February 2023 has no day 29 (it has 28 days)');
    expect(messageOf('V4')).toContain('month 13 does not exist (01-12)');
  });

  it('date: excel reads Excel serial days; 60 (1900-02-29) is rejected', async () => {
    await writeFile(join(dir, 'job.yaml'), job(sim, { date: 'excel' }));
    await writeFile(
      join(dir, 'entries.csv'),
      rows([
        ['X1', '45292'],
        ['X2', '60'],
        ['X3', '45351'],
      ]),
    );
    const result = await runCli(['run', 'job.yaml'], { cwd: dir, env: ENV });
    expect(result.code).toBe(2);
    expect(stored()).toEqual(
      new Map([
        ['X1', '2024-01-01'],
        ['X3', '2024-02-29'],
      ]),
    );
    const rejects = await readFile((await findFile(dir, (n) => n.startsWith('rejects')))!, 'utf8');
    expect(rejects).toContain('Excel serial 60 is 1900-02-29, a day that does not exist');
  });

  it('a NUL byte in a field is refused with file:line:col before anything is sent', async () => {
    await writeFile(join(dir, 'job.yaml'), job(sim, { date: 'd-M-yyyy' }));
    const text = rows([
      ['N1', '1-2-2024'],
      ['N2', '2-2-2024'],
    ]).replace('N2;2-2-2024;4000', 'N2;2-2-2024;40\u000000');
    await writeFile(join(dir, 'entries.csv'), text);
    const result = await runCli(['run', 'job.yaml'], { cwd: dir, env: ENV });
    expect(result.code).toBe(1);
    const offset = Buffer.from(text).indexOf(0);
    expect(result.stderr.trim()).toBe(
      `koppel: entries.csv:4:15: a NUL byte (0x00) at byte offset ${offset}; Koppel refuses control characters (other than tab, CR and LF) in input fields: remove them from the file (an export that pads fields with NUL? a UTF-16 file declared as something else?)`,
    );
    expect(writes()).toBe(0);
    expect(stored().size).toBe(0);
  });

  it('a 0-byte input and a header-only CSV are refused unless source.csv.allow_empty is set', async () => {
    await writeFile(join(dir, 'job.yaml'), job(sim, { date: 'd-M-yyyy' }));
    await writeFile(join(dir, 'entries.csv'), '');
    const empty = await runCli(['run', 'job.yaml'], { cwd: dir, env: ENV });
    expect(empty.code).toBe(1);
    expect(empty.stderr.trim()).toBe(
      'koppel: entries.csv: the input is empty (0 bytes); nothing to do, so nothing was sent. Check the export that wrote it, or set `source.csv.allow_empty: true` when an empty input is fine',
    );
    await writeFile(join(dir, 'entries.csv'), `${HEADER}\n`);
    const headerOnly = await runCli(['run', 'job.yaml'], { cwd: dir, env: ENV });
    expect(headerOnly.code).toBe(1);
    // Found while the run's pre-flight reads the whole input, before the first request.
    expect(headerOnly.stderr).toContain(
      'entries.csv: no records (only a header); nothing to do, so nothing was sent. Check the export that wrote it, or set `source.csv.allow_empty: true` when an empty input is fine',
    );
    await writeFile(join(dir, 'job.yaml'), job(sim, { date: 'd-M-yyyy', csv: ', allow_empty: true' }));
    const allowed = await runCli(['run', 'job.yaml'], { cwd: dir, env: ENV });
    expect(allowed.stderr).not.toContain('no records');
    expect(allowed.code).toBe(0);
    await writeFile(join(dir, 'entries.csv'), '');
    expect((await runCli(['run', 'job.yaml'], { cwd: dir, env: ENV })).code).toBe(0);
    expect(writes()).toBe(0);
  });
});
