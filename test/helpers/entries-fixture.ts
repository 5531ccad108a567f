import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Simulator } from '@koppel/afas-sim';

/** The simulator's demo token (seeds/demo.yaml). */
import { DEMO_TOKEN } from '@koppel/afas-sim';

export { DEMO_TOKEN };

export interface EntriesFixture {
  jobFile: string;
  /** Voucher numbers of entries AFAS accepts. */
  valid: string[];
  /** Voucher number -> the start of the message its rejection must carry. */
  invalid: Map<string, string>;
}

/**
 * Writes a FiEntries job (`verify:` by voucher number unless `verify: false`) and a semicolon
 * CSV (decimal commas) of `count` entries with two lines each; the one fixture of every
 * end-to-end test, local and distributed. Every 100th entry from offset 7 books on an unknown account (AFAS rejects it), every
 * 100th from offset 37 in the blocked period 8 (AFAS rejects it), every 100th from offset 77
 * does not balance (rejected before sending): 3% invalid.
 */
export async function writeEntriesFixture(
  dir: string,
  sim: Pick<Simulator, 'baseUrl'>,
  options: {
    count: number;
    batch?: number | 'auto';
    concurrency?: number;
    verify?: boolean;
    invalid?: boolean;
    /** First letter of voucher numbers; default `V`. */
    prefix?: string;
    /** The job's `name:`; default `chaos-entries`. */
    name?: string;
  },
): Promise<EntriesFixture> {
  const rows = ['entry_no;period;account;voucher_no;description;amount;amount_credit'];
  const valid: string[] = [];
  const invalid = new Map<string, string>();
  for (let i = 0; i < options.count; i++) {
    const voucher = `${options.prefix ?? 'V'}${String(i).padStart(6, '0')}`;
    let period = 1 + (i % 7);
    let account = '4000';
    let credit = `${(i % 900) + 10},${String(i % 100).padStart(2, '0')}`;
    const debit = credit;
    if (options.invalid === false) {
      valid.push(voucher);
    } else if (i % 100 === 7) {
      account = '7777';
      invalid.set(voucher, 'De ingevulde waarde bij');
    } else if (i % 100 === 37) {
      period = 8;
      invalid.set(voucher, 'Voor deze administratie is periode 8');
    } else if (i % 100 === 77) {
      credit = '0,01';
      invalid.set(voucher, `record ${voucher}`);
    } else {
      valid.push(voucher);
    }
    rows.push(`${voucher};${period};${account};${voucher};Regel ${i};${debit};`);
    rows.push(`${voucher};${period};1100;${voucher};Tegenboeking ${i};;${credit}`);
  }
  await writeFile(join(dir, 'entries.csv'), `${rows.join('\n')}\n`);
  const job = `version: 1
name: ${options.name ?? 'chaos-entries'}
connection:
  url: ${sim.baseUrl()}
  token: ${DEMO_TOKEN}
  language: nl-nl
source:
  csv: { path: entries.csv, delimiter: ";", decimal: "," }
key: "{voucher_no}"
target:
  update_connector: FiEntries
  group_by: entry_no
  element:
    fields: { Year: 2024, Peri: period, UnId: 1, JoCo: { const: "10" } }
    objects:
      FiEntries:
        each: row
        fields:
          VaAs: { const: "1" }
          AcNr: account
          EnDa: { template: "2024-0{period}-10" }
          BpDa: { template: "2024-0{period}-10" }
          BpNr: voucher_no
          Ds: description
          AmDe: { column: amount, type: decimal, default: "0" }
          AmCr: { column: amount_credit, type: decimal, default: "0" }
  checks: [balanced]
run: { concurrency: ${options.concurrency ?? 8}, batch: ${options.batch ?? 'auto'}, on_invalid: reject, retry: { max_attempts: 8 } }
${
  options.verify === false
    ? ''
    : `verify:
  get_connector: Profit_Fin_Entries
  filter: { VoucherNo: "{voucher_no}" }
  result: { EnNo: EntryNo, UnId: UnitId }
`
}`;
  const jobFile = join(dir, 'job.yaml');
  await writeFile(jobFile, job);
  return { jobFile, valid, invalid };
}

/** Journal check: voucher -> number of distinct entries AFAS stored for it. */
export function storedEntries(sim: Simulator): Map<string, Set<unknown>> {
  const byVoucher = new Map<string, Set<unknown>>();
  for (const entry of sim.control.journal({ table: 'entries' })) {
    if (entry.action !== 'insert') continue;
    const voucher = String(entry.row.VoucherNo);
    const entries = byVoucher.get(voucher) ?? new Set();
    entries.add(entry.row.EntryNo);
    byVoucher.set(voucher, entries);
  }
  return byVoucher;
}
