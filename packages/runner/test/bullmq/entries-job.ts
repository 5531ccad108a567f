import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Simulator } from '@koppel/afas-sim';

/** The simulator's demo token (seeds/demo.yaml). */
import { DEMO_TOKEN as SIM_TOKEN } from '@koppel/afas-sim';

export { SIM_TOKEN };

export interface EntriesJob {
  jobFile: string;
  /** Voucher numbers AFAS accepts. */
  valid: string[];
  /** Voucher numbers rejected (by AFAS: unknown account; before sending: unbalanced). */
  invalid: string[];
}

/**
 * A FiEntries job over `count` two-line entries (semicolon CSV, decimal commas), with `verify:`
 * by voucher number. With `invalid`, every 50th entry from 7 books on an unknown account and
 * every 50th from 27 does not balance.
 */
export async function writeEntriesJob(
  dir: string,
  sim: Pick<Simulator, 'baseUrl'>,
  options: { count: number; batch?: number | 'auto'; concurrency?: number; invalid?: boolean; name?: string },
): Promise<EntriesJob> {
  const rows = ['entry_no;period;account;voucher_no;amount;credit'];
  const valid: string[] = [];
  const invalid: string[] = [];
  for (let i = 0; i < options.count; i++) {
    const voucher = `W${String(i).padStart(6, '0')}`;
    const amount = `${(i % 500) + 1},${String(i % 100).padStart(2, '0')}`;
    let account = '4000';
    let credit = amount;
    if (options.invalid && i % 50 === 7) {
      account = '7777';
      invalid.push(voucher);
    } else if (options.invalid && i % 50 === 27) {
      credit = '0,01';
      invalid.push(voucher);
    } else valid.push(voucher);
    rows.push(`${voucher};${1 + (i % 6)};${account};${voucher};${amount};`);
    rows.push(`${voucher};${1 + (i % 6)};1100;${voucher};;${credit}`);
  }
  await writeFile(join(dir, 'entries.csv'), `${rows.join('\n')}\n`);
  const job = `version: 1
name: ${options.name ?? 'bullmq-entries'}
connection:
  url: ${sim.baseUrl()}
  token: ${SIM_TOKEN}
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
          Ds: { template: "{voucher_no}" }
          AmDe: { column: amount, type: decimal, default: "0" }
          AmCr: { column: credit, type: decimal, default: "0" }
  checks: [balanced]
run: { concurrency: ${options.concurrency ?? 4}, batch: ${options.batch ?? 1}, retry: { max_attempts: 8 } }
verify:
  get_connector: Profit_Fin_Entries
  filter: { VoucherNo: "{voucher_no}" }
  result: { EnNo: EntryNo }
`;
  const jobFile = join(dir, 'job.yaml');
  await writeFile(jobFile, job);
  return { jobFile, valid, invalid };
}

/** Journal check: voucher -> how many distinct entries (EntryNo) AFAS stored for it. */
export function storedPerVoucher(sim: Simulator): Map<string, number> {
  const entries = new Map<string, Set<unknown>>();
  for (const entry of sim.control.journal({ table: 'entries' })) {
    if (entry.action !== 'insert') continue;
    const voucher = String(entry.row.VoucherNo);
    const set = entries.get(voucher) ?? new Set();
    set.add(entry.row.EntryNo);
    entries.set(voucher, set);
  }
  return new Map([...entries].map(([voucher, set]) => [voucher, set.size]));
}
