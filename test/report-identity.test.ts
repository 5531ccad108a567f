import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_TOKEN, type Simulator, startSimulator } from '@koppel/afas-sim';
import type { RunReport } from '@koppel/runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from './helpers/cli.js';
import { reportPath } from './helpers/executors.js';

const ENV = { KOPPEL_RETRY_BASE_MS: '5', KOPPEL_VERIFY_DELAY_MS: '0' };
const HEADER =
  'entry_no;year;period;journal;account_kind;account;entry_date;voucher_no;description;debit;credit';
const COUNT = 40;

/**
 * 40 entries of two lines over journals 10/20 and periods 1-3, with records rejected before
 * sending (a bad date, an unknown code, a duplicate key, an unbalanced entry) and one AFAS
 * rejects (an unknown account). Returns the CSV and, per entry_no, why it must be rejected.
 */
function input(): { csv: string; beforeSending: Set<string>; byAfas: Set<string> } {
  const rows = [HEADER];
  const beforeSending = new Set<string>();
  const byAfas = new Set<string>();
  const entry = (
    no: number,
    options: { date?: string; kind?: string; account?: string; credit?: string } = {},
  ) => {
    const journal = no % 2 === 0 ? '10' : '20';
    const period = 1 + (no % 3);
    const amount = `${100 + no},${String(no % 100).padStart(2, '0')}`;
    const date = options.date ?? `1${period}-0${period}-2024`;
    rows.push(
      `${no};2024;${period};${journal};${options.kind ?? 'grootboek'};${options.account ?? '4000'};${date};V${no};Regel ${no};${amount};`,
      `${no};2024;${period};${journal};grootboek;1100;${date};V${no};Tegen ${no};;${options.credit ?? amount}`,
    );
  };
  for (let no = 1; no <= COUNT; no++) {
    if (no === 5) {
      entry(no, { date: '31-02-2024' });
      beforeSending.add(String(no));
    } else if (no === 9) {
      entry(no, { kind: 'onbekend' });
      beforeSending.add(String(no));
    } else if (no === 17) {
      entry(no, { credit: '0,01' });
      beforeSending.add(String(no));
    } else if (no === 23) {
      entry(no, { account: '7777' });
      byAfas.add(String(no));
    } else entry(no);
    if (no === 30) {
      // Entry 3 again, after other entries: a duplicate key (the first one is sent).
      entry(3);
      beforeSending.add('3 (dup)');
    }
  }
  return { csv: `${rows.join('\n')}\n`, beforeSending, byAfas };
}

/** Debit/credit per journal/year/period of the entries `include` keeps, from the CSV alone. */
function expectedTotals(
  csv: string,
  include: (key: string) => boolean,
): Record<string, { entries: number; debit: string; credit: string }> {
  const cents = (v: string) =>
    v === '' ? 0 : Math.round(Number(v.replaceAll('.', '').replace(',', '.')) * 100);
  const sums = new Map<string, { entries: Set<string>; debit: number; credit: number }>();
  const seen = new Set<string>();
  const lines = csv.trim().split('\n').slice(1);
  let previous = '';
  for (const line of lines) {
    const [no = '', year, period, journal, , , , , , debit = '', credit = ''] = line.split(';');
    // A group starts when the entry_no changes; a group whose entry_no was seen before is the duplicate.
    const start = no !== previous;
    previous = no;
    if (start && seen.has(no)) {
      previous = `${no} (dup)`;
    }
    if (start) seen.add(no);
    const key = previous;
    if (!include(key)) continue;
    const id = `${journal} ${year}/${period}`;
    const slot = sums.get(id) ?? { entries: new Set(), debit: 0, credit: 0 };
    slot.entries.add(key);
    slot.debit += cents(debit);
    slot.credit += cents(credit);
    sums.set(id, slot);
  }
  return Object.fromEntries(
    [...sums].map(([id, s]) => [
      id,
      { entries: s.entries.size, debit: (s.debit / 100).toFixed(2), credit: (s.credit / 100).toFixed(2) },
    ]),
  );
}

const job = (url: string) => `version: 1
name: report-identity
connection: { url: ${url}, token: ${DEMO_TOKEN}, language: nl-nl }
source:
  csv: { path: entries.csv, delimiter: ";", decimal: "," }
key: "{entry_no}"
target:
  update_connector: FiEntries
  method: insert
  group_by: entry_no
  element:
    fields: { Year: year, Peri: period, UnId: 1, JoCo: journal }
    objects:
      FiEntries:
        each: row
        fields:
          VaAs: { column: account_kind, codes: { grootboek: "1", debiteur: "2", crediteur: "3" } }
          AcNr: account
          EnDa: { column: entry_date, date: dd-MM-yyyy }
          BpDa: { column: entry_date, date: dd-MM-yyyy }
          BpNr: voucher_no
          Ds: description
          AmDe: { column: debit, type: decimal, default: "0" }
          AmCr: { column: credit, type: decimal, default: "0" }
  checks: [balanced]
run: { concurrency: 4, batch: auto, on_invalid: reject }
verify:
  get_connector: Profit_Fin_Entries
  filter: { VoucherNo: "{voucher_no}" }
  result: { EnNo: EntryNo, UnId: UnitId }
`;

const byGroup = (
  totals: { journal: string; year: string; period: string; entries: number; debit: string; credit: string }[],
) =>
  Object.fromEntries(
    totals.map((t) => [
      `${t.journal} ${t.year}/${t.period}`,
      { entries: t.entries, debit: t.debit, credit: t.credit },
    ]),
  );

describe('the run report reconciles: read = sent + skipped + rejected before sending + rejected by AFAS + uncertain', () => {
  let sim: Simulator;
  let dir: string;
  let data: ReturnType<typeof input>;
  let first: CliResult;
  let second: CliResult;
  /** The first session's report (the second session rewrites the file). */
  let report1: RunReport;
  const run = () => runCli(['run', 'job.yaml', '--state-dir', join(dir, 'state')], { cwd: dir, env: ENV });

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'koppel-identity-'));
    data = input();
    await writeFile(join(dir, 'entries.csv'), data.csv);
    await writeFile(join(dir, 'job.yaml'), job(sim.baseUrl()));
    first = await run();
    report1 = JSON.parse(await readFile(reportPath(first.stdout), 'utf8'));
    second = await run();
  }, 120_000);
  afterAll(async () => {
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('counts every category and the identity holds, overall and per journal/period', async () => {
    expect(first.stderr).not.toContain('internal error');
    expect(first.code).toBe(2);
    const report = report1;
    const r = report.reconciliation;
    if (!r) throw new Error('no reconciliation in the report');
    const documents = COUNT + 1; // the duplicate key is a document of its own
    expect(r).toMatchObject({
      checked: true,
      unit: 'documents',
      read: documents,
      sourceRecords: documents * 2,
      done: documents - data.beforeSending.size - data.byAfas.size,
      skippedSettled: 0,
      skippedDelivered: 0,
      rejectedBeforeSending: data.beforeSending.size,
      rejectedByAfas: data.byAfas.size,
      uncertain: 0,
      notSettled: 0,
      holds: true,
      groupsHold: true,
    });
    expect(
      r.done +
        r.skippedSettled +
        r.skippedDelivered +
        r.rejectedBeforeSending +
        r.rejectedByAfas +
        r.uncertain,
    ).toBe(r.read);
    expect(report.counts.rejected).toBe(data.beforeSending.size + data.byAfas.size);
    expect(report.rejectedWhere).toEqual({
      beforeSending: data.beforeSending.size,
      byAfas: data.byAfas.size,
    });
    expect(first.stdout).toContain(`${report.counts.rejected} rejected (4 before sending, 1 by AFAS), `);
    expect(r.groups.length).toBeGreaterThan(0);
    for (const g of r.groups) expect(g.read).toEqual(g.accounted);
    expect(first.stdout).toContain(
      `identity (documents): read ${documents} = ${r.done} sent + 0 skipped as settled + 0 skipped as delivered + 4 rejected before sending + 1 rejected by AFAS + 0 uncertain: holds`,
    );
    expect(first.stdout).toContain(`built from ${documents * 2} source records`);
  });

  it('the done totals per journal/period equal the input sums minus the rejected entries (from the CSV)', () => {
    const report = report1;
    const rejected = new Set([...data.beforeSending, ...data.byAfas]);
    expect(byGroup(report.controlTotals.done)).toEqual(expectedTotals(data.csv, (key) => !rejected.has(key)));
    expect(byGroup(report.controlTotals.rejected)).toEqual(
      expectedTotals(data.csv, (key) => data.byAfas.has(key)),
    );
    // What AFAS stored agrees: one entry per done document.
    const stored = sim.control.journal({ table: 'entries' }).filter((e) => e.action === 'insert');
    expect(new Set(stored.map((e) => String(e.row.VoucherNo))).size).toBe(report.reconciliation?.done);
  });

  it('a resumed session skips everything and still reconciles', async () => {
    expect(second.code).toBe(2);
    const report = JSON.parse(await readFile(reportPath(second.stdout), 'utf8'));
    expect(report.reconciliation).toMatchObject({
      read: COUNT + 1,
      done: 0,
      skippedSettled: COUNT + 1,
      rejectedBeforeSending: 0,
      rejectedByAfas: 0,
      holds: true,
      groupsHold: true,
    });
    expect(report.status).toBe('finished');
  });
});
