import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';

/** A FiEntries job; `vaas` is the VaAs value, `account` the column AcNr reads, `key` the key template. */
const job = (options: { vaas?: string; account?: string; key?: string } = {}) => `version: 1
name: validate-input
connection: { url: "http://127.0.0.1:1/12345/ProfitRestServices", token: "t" }
source:
  csv: { path: entries.csv, delimiter: ";", decimal: "," }
key: "${options.key ?? '{voucher_no}'}"
target:
  update_connector: FiEntries
  group_by: entry_no
  element:
    fields: { Year: 2024, Peri: period, UnId: 1, JoCo: journal }
    objects:
      FiEntries:
        each: row
        fields:
          VaAs: ${options.vaas ?? '{ column: kind, codes: { grootboek: "1", debiteur: "2" } }'}
          AcNr: ${options.account ?? 'account'}
          EnDa: { column: date, date: dd-MM-yyyy }
          BpDa: { column: date, date: dd-MM-yyyy }
          AmDe: { column: debit, default: "0" }
          AmCr: { column: credit, default: "0" }
  checks: [balanced]
`;

const CSV =
  'entry_no;period;journal;kind;account;date;voucher_no;debit;credit\n1;1;20;debiteur;10001;02-01-2024;V1;10,00;\n1;1;20;grootboek;8010;02-01-2024;V1;;10,00\n';

describe('koppel validate checks the job against its input header and the code lists', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'koppel-validate-input-'));
    await writeFile(join(dir, 'entries.csv'), CSV);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const validate = async (text: string, ...flags: string[]) => {
    const file = join(dir, 'job.yaml');
    await writeFile(file, text);
    return { file, ...(await runCli(['validate', file, ...flags], { cwd: dir })) };
  };

  it('accepts the job whose columns are all in the header', async () => {
    const { file, code, stdout } = await validate(job(), '--sim');
    expect(stdout).toBe(`${file}: valid (FiEntries, checked against simulator metainfo in nl-nl)\n`);
    expect(code).toBe(0);
  }, 60_000);

  it('names a mapped column that is not in the input, at its job line, with a did-you-mean', async () => {
    const { file, code, stdout } = await validate(job({ account: 'acount' }), '--sim');
    expect(code).toBe(1);
    expect(stdout).toBe(
      `${file}:17:17: column \`acount\` is not in entries.csv; did you mean \`account\`?\n${file}: 1 problem\n`,
    );
  }, 60_000);

  it('names a key column that is not in the input, at the key line', async () => {
    const { file, code, stdout } = await validate(job({ key: '{voucher}' }), '--sim');
    expect(code).toBe(1);
    expect(stdout).toBe(
      `${file}:6:6: column \`voucher\` is not in entries.csv; its columns: entry_no, period, journal, kind, account, date, voucher_no, debit, credit\n${file}: 1 problem\n`,
    );
  }, 60_000);

  it('names a code constant and a codes: value the field does not allow', async () => {
    const constant = await validate(job({ vaas: '{ const: "8" }' }), '--sim');
    expect(constant.code).toBe(1);
    expect(constant.stdout).toBe(
      `${constant.file}:16:26: Kenmerk rekening (FiEntries.VaAs): "8" is not an allowed value; allowed: 1 (Grootboekrekening), 2 (Debiteur), 3 (Crediteur)\n${constant.file}: 1 problem\n`,
    );
    const mapped = await validate(
      job({ vaas: '{ column: kind, codes: { grootboek: "1", debiteur: "Debiteur" } }' }),
      '--sim',
    );
    expect(mapped.code).toBe(1);
    expect(mapped.stdout).toBe(
      `${mapped.file}:16:68: codes: \`debiteur\` -> \`Debiteur\` is not a code of VaAs (Kenmerk rekening); did you mean \`2\` (Debiteur)?; allowed: 1 (Grootboekrekening), 2 (Debiteur), 3 (Crediteur)\n${mapped.file}: 1 problem\n`,
    );
  }, 60_000);

  it('--offline accepts codes: { by: description } without metainfo, and checks it against the recorded metainfo', async () => {
    const byDescription = job({ vaas: '{ column: kind, codes: { by: description } }' });
    const bare = await validate(byDescription, '--offline');
    expect(bare.stdout).toBe(
      `${bare.file}: valid (FiEntries, offline: fields and codes not checked against metainfo)\n`,
    );
    expect(bare.code).toBe(0);
    await mkdir(join(dir, 'fixtures'));
    await cp(
      join(ROOT, 'jobs/fientries-upload/fixtures/FiEntries.nl-nl.json'),
      join(dir, 'fixtures/FiEntries.nl-nl.json'),
    );
    // With the recording, the same form on a field without a code list is refused at its line.
    const recorded = await validate(
      job({ account: '{ column: account, codes: { by: description } }' }),
      '--offline',
    );
    expect(recorded.stdout).toBe(
      `${recorded.file}:17:43: \`AcNr\`: codes: { by: description } needs a coded field, but metainfo lists no values\n${recorded.file}: 1 problem\n`,
    );
    expect(recorded.code).toBe(1);
  }, 60_000);

  it('--offline checks codes against the recorded metainfo next to the job, and the header all the same', async () => {
    const bare = await validate(job({ account: 'acount' }), '--offline');
    expect(bare.stdout).toBe(
      `${bare.file}:17:17: column \`acount\` is not in entries.csv; did you mean \`account\`?\n${bare.file}: 1 problem\n`,
    );
    await mkdir(join(dir, 'fixtures'));
    await cp(
      join(ROOT, 'jobs/fientries-upload/fixtures/FiEntries.nl-nl.json'),
      join(dir, 'fixtures/FiEntries.nl-nl.json'),
    );
    const recorded = await validate(
      job({ vaas: '{ column: kind, codes: { grootboek: "1", debiteur: "9" } }' }),
      '--offline',
    );
    expect(recorded.code).toBe(1);
    expect(recorded.stdout).toContain(
      `${recorded.file}:16:68: codes: \`debiteur\` -> \`9\` is not a code of VaAs (Kenmerk rekening); allowed: 1 (Grootboekrekening), 2 (Debiteur), 3 (Crediteur)\n`,
    );
    const ok = await validate(job(), '--offline');
    expect(ok.stdout).toBe(
      `${ok.file}: valid (FiEntries, offline: checked against recorded metainfo fixtures/FiEntries.nl-nl.json in nl-nl)\n`,
    );
  }, 60_000);
});
