import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startSimulator } from '@koppel/afas-sim';
import { parseJob } from '@koppel/core';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, ROOT, runCli } from './helpers/cli.js';

/**
 * Exports as they come out of Excel and legacy systems (test/fixtures/messy-exports), each run
 * through `koppel init <connector> <file> --sim`, then every written job through one
 * `koppel validate --sim`. Per fixture: the header line, every obvious column -> field
 * (`Object.Field`, root fields bare), the columns that are not obvious (never mapped; they may
 * only show up in comments), and the mandatory fields no column can fill (left as TODOs).
 */
interface Fixture {
  file: string;
  connector: string;
  headerLine: number;
  obvious: Record<string, string>;
  notObvious?: string[];
  todos?: string[];
  /** Records AFAS refuses for their data (an address without a street), when the job runs. */
  refused?: number;
  /** Columns the job splits into several fields with `expr` (a signed amount, street + number). */
  splits?: Record<string, string[]>;
}

const ADR = 'KnBasicAddressAdr';
const LINE = 'FiEntries';
const FIXTURES: Fixture[] = [
  {
    file: '01-klanten-excel-titel.csv', // BOM, CRLF, two title lines ending in ;;;;;;;;, a ;;;;;;;; line, "-" for empty
    connector: 'KnPerson',
    headerLine: 4,
    obvious: {
      Klantnummer: 'BcCo',
      Voornaam: 'FiNm',
      Tussenvoegsel: 'Is',
      Achternaam: 'LaNm',
      Straat: `${ADR}.Ad`,
      Huisnummer: `${ADR}.HmNr`,
      'Huisnummer toevoeging': `${ADR}.HmAd`,
      Postcode: `${ADR}.ZpCd`,
      Plaats: `${ADR}.Rs`,
    },
  },
  {
    file: '02-debiteuren-rapport.csv', // Windows-1252, report header with a date line and a blank line
    connector: 'KnSalesRelationOrg',
    headerLine: 5,
    obvious: {
      Debiteurnummer: 'DbId',
      Bedrijfsnaam: 'KnOrganisation.Nm',
      'KvK-nummer': 'KnOrganisation.CcNr',
      Postcode: `KnOrganisation.${ADR}.ZpCd`,
      Plaats: `KnOrganisation.${ADR}.Rs`,
      Land: `KnOrganisation.${ADR}.CoId`,
      Telefoon: 'KnOrganisation.TeNr',
      'E-mail': 'KnOrganisation.EmAd',
      IBAN: 'Iban',
    },
    // street and number in one column ("Stationsweg 4"): split into street, number and suffix
    splits: { Adres: ['Ad', 'HmNr', 'HmAd'].map((id) => `KnOrganisation.${ADR}.${id}`) },
    // CdDa (mandatory on POST) is left to Profit, as AFAS's minimal debtor insert does
  },
  {
    file: '03-legacy-padded.txt', // fixed-width look: padded cells, Windows-1252, CRLF, NULL
    connector: 'KnPerson',
    headerLine: 1,
    obvious: {
      KLNR: 'BcCo',
      NAAM: 'LaNm', // beside VOORN and TUSSENV, no value starting with a first name: the last name
      VOORN: 'FiNm',
      TUSSENV: 'Is',
      GEBDAT: 'DaBi',
      STRAAT: `${ADR}.Ad`,
      HUISNR: `${ADR}.HmNr`,
      TOEV: `${ADR}.HmAd`,
      PC: `${ADR}.ZpCd`,
      WOONPL: `${ADR}.Rs`,
      TEL: 'TeNr',
      EMAIL: 'EmAd',
    },
  },
  {
    file: '04-journaal-excel.csv', // title line ending in ;;;;;;;;;, 1.250,00, dd-MM-yyyy
    connector: 'FiEntries',
    headerLine: 2,
    obvious: {
      Boekjaar: 'Year',
      Periode: 'Peri',
      Dagboek: 'JoCo',
      Boekstuk: `${LINE}.BpNr`,
      Boekdatum: `${LINE}.EnDa`,
      Grootboek: `${LINE}.AcNr`,
      Omschrijving: `${LINE}.Ds`,
      Debet: `${LINE}.AmDe`,
      Credit: `${LINE}.AmCr`,
      'Btw-code': `${LINE}.VaId`,
    },
  },
  {
    file: '05-journal-english.csv', // BOM, English headers, "1,250.00", ISO dates
    connector: 'FiEntries',
    headerLine: 1,
    obvious: {
      Year: 'Year',
      Period: 'Peri',
      Journal: 'JoCo',
      'Entry number': `${LINE}.BpNr`,
      'Entry date': `${LINE}.EnDa`,
      Account: `${LINE}.AcNr`,
      Description: `${LINE}.Ds`,
      Debit: `${LINE}.AmDe`,
      Credit: `${LINE}.AmCr`,
      'VAT code': `${LINE}.VaId`,
    },
    // "Account" does not say general ledger: VaAs is the constant 1 with a comment that says so
  },
  {
    file: '06-persons-english.csv', // Excel serial birth dates, n/a
    connector: 'KnPerson',
    headerLine: 1,
    obvious: {
      'Person number': 'BcCo',
      'First name': 'FiNm',
      'Last name': 'LaNm',
      Gender: 'ViGe',
      'Date of birth': 'DaBi',
      Email: 'EmAd',
      Phone: 'TeNr',
      Mobile: 'MbNr',
      Street: `${ADR}.Ad`,
      'House number': `${ADR}.HmNr`,
      Suffix: `${ADR}.HmAd`,
      'Zip code': `${ADR}.ZpCd`,
      City: `${ADR}.Rs`,
      Country: `${ADR}.CoId`,
    },
  },
  {
    file: '07-organisaties-tab.txt', // tabs, #N/A from Excel formulas
    connector: 'KnOrganisation',
    headerLine: 1,
    obvious: {
      Relatiecode: 'BcCo',
      Naam: 'Nm',
      KvK: 'CcNr',
      Straat: `${ADR}.Ad`,
      Huisnr: `${ADR}.HmNr`,
      Toevoeging: `${ADR}.HmAd`,
      Postcode: `${ADR}.ZpCd`,
      Plaats: `${ADR}.Rs`,
      Land: `${ADR}.CoId`,
      Website: 'HoPa',
      'E-mailadres': 'EmAd',
    },
  },
  {
    file: '08-debiteuren-personen.csv', // quoted, a title line and a blank line, dd-MM-yyyy
    connector: 'KnSalesRelationPer',
    headerLine: 3,
    obvious: {
      Debiteur: 'DbId',
      Voornaam: 'KnPerson.FiNm',
      Achternaam: 'KnPerson.LaNm',
      Straat: `KnPerson.${ADR}.Ad`,
      Huisnummer: `KnPerson.${ADR}.HmNr`,
      Postcode: `KnPerson.${ADR}.ZpCd`,
      Woonplaats: `KnPerson.${ADR}.Rs`,
      Valuta: 'CuId',
      'Klant sinds': 'CsDa',
    },
  },
  {
    file: '09-grootboek-mutaties.csv', // every row padded with ;;; beyond the header, NULL, Excel serial dates
    connector: 'FiEntries',
    headerLine: 2,
    obvious: {
      Jaar: 'Year',
      'Per.': 'Peri',
      Dagboek: 'JoCo',
      Datum: `${LINE}.EnDa`,
      Grootboekrekening: `${LINE}.AcNr`,
      Omschrijving: `${LINE}.Ds`,
      'Bedrag debet': `${LINE}.AmDe`,
      'Bedrag credit': `${LINE}.AmCr`,
    },
    notObvious: ['Kostenplaats'],
  },
  {
    file: '10-leden-null.csv', // pipes, padded cells, "-" for empty (also in Huisnummer), dd/MM/yyyy
    connector: 'KnPerson',
    headerLine: 1,
    obvious: {
      Lidnummer: 'BcCo',
      Voorletters: 'In',
      Voornaam: 'FiNm',
      Tussenvoegsel: 'Is',
      Achternaam: 'LaNm',
      Geslacht: 'ViGe',
      Geboortedatum: 'DaBi',
      Huisnummer: `${ADR}.HmNr`,
      Toevoeging: `${ADR}.HmAd`,
      Postcode: `${ADR}.ZpCd`,
      Woonplaats: `${ADR}.Rs`,
      Telefoon: 'TeNr',
      Mobiel: 'MbNr',
      'E-mail': 'EmAd',
      IBAN: 'KnBankAccount.Iban',
      Adres: `${ADR}.Ad`, // the street: Huisnummer is a column of its own
    },
  },
  {
    file: '11-crm-organisations.csv', // title line ending in commas, a line of only commas, English
    connector: 'KnOrganisation',
    headerLine: 3,
    obvious: {
      'Company name': 'Nm',
      'Chamber of Commerce': 'CcNr',
      Street: `${ADR}.Ad`,
      'House number': `${ADR}.HmNr`,
      'Postal code': `${ADR}.ZpCd`,
      City: `${ADR}.Rs`,
      Country: `${ADR}.CoId`,
      Phone: 'TeNr',
      Email: 'EmAd',
    },
    // Re (Opmerking) takes base64, not text: only a suggestion, with the expr that encodes it
    notObvious: ['Notes'],
    // no number column: AutoNum: true, AFAS numbers them, so the mandatory BcCo stays unmapped
  },
  {
    file: '12-relaties-dubbele-kolommen.csv', // two Telefoon columns, rows padded with ;; beyond the header, d-M-yyyy
    connector: 'KnPerson',
    headerLine: 1,
    obvious: {
      Relatienummer: 'BcCo',
      Voornaam: 'FiNm',
      Achternaam: 'LaNm',
      Telefoon: 'TeNr',
      Geboortedatum: 'DaBi',
    },
    notObvious: ['Telefoon_2'], // the second one: work mobile or private phone?
  },
  {
    file: '13-bankmutaties.csv', // bank title lines and a ;;;;; line, no year/period columns, no voucher number
    connector: 'FiEntries',
    headerLine: 4,
    obvious: {
      Boekingsdatum: `${LINE}.EnDa`,
      Dagboek: 'JoCo',
      Grootboeknummer: `${LINE}.AcNr`,
      Omschrijving: `${LINE}.Ds`,
      'Bedrag debet': `${LINE}.AmDe`,
      'Bedrag credit': `${LINE}.AmCr`,
    },
  },
  {
    file: '14-memoriaal-bom-titel.csv', // UTF-8 BOM, CRLF, a Dutch title block, one signed Bedrag (negative = credit)
    connector: 'FiEntries',
    headerLine: 5,
    obvious: {
      Boekjaar: 'Year',
      Periode: 'Peri',
      Dagboek: 'JoCo',
      Boekstuknummer: `${LINE}.BpNr`,
      Boekdatum: `${LINE}.EnDa`,
      Grootboekrekening: `${LINE}.AcNr`,
      Omschrijving: `${LINE}.Ds`,
      'Btw-code': `${LINE}.VaId`,
    },
    splits: { Bedrag: [`${LINE}.AmDe`, `${LINE}.AmCr`] },
  },
  {
    file: '15-debiteuren-ansi.csv', // Windows-1252, a report line, 12.500,00 and 1.250.000,00, dd-MM-yyyy
    connector: 'KnSalesRelationOrg',
    headerLine: 2,
    obvious: {
      Debiteurnr: 'DbId',
      Naam: 'KnOrganisation.Nm',
      Straat: `KnOrganisation.${ADR}.Ad`,
      Huisnr: `KnOrganisation.${ADR}.HmNr`,
      Postcode: `KnOrganisation.${ADR}.ZpCd`,
      Plaats: `KnOrganisation.${ADR}.Rs`,
      Land: `KnOrganisation.${ADR}.CoId`,
      Kredietlimiet: 'Krli',
      'Klant sinds': 'CsDa',
      'E-mail': 'KnOrganisation.EmAd',
    },
  },
  {
    file: '16-legacy-tab-null.txt', // tabs, header and rows end in empty columns, NULL and - for empty
    connector: 'KnOrganisation',
    headerLine: 1,
    obvious: {
      RELNR: 'BcCo',
      BEDRIJFSNAAM: 'Nm',
      STRAAT: `${ADR}.Ad`,
      HUISNR: `${ADR}.HmNr`,
      TOEV: `${ADR}.HmAd`,
      POSTCODE: `${ADR}.ZpCd`,
      PLAATS: `${ADR}.Rs`,
      LAND: `${ADR}.CoId`,
      TELEFOON: 'TeNr',
      EMAIL: 'EmAd',
      KVKNR: 'CcNr',
    },
    refused: 1, // R0004 has a city but no street: "Een onvolledig adres mag niet geïmporteerd worden"
  },
  {
    file: '17-gl-english-excel.csv', // English Excel (BOM, commas, "1,250.00"), one signed Amount, dd/MM/yyyy
    connector: 'FiEntries',
    headerLine: 1,
    obvious: {
      'Fiscal year': 'Year',
      Period: 'Peri',
      Journal: 'JoCo',
      'Document no.': `${LINE}.BpNr`,
      'Posting date': `${LINE}.EnDa`,
      'GL account': `${LINE}.AcNr`,
      Description: `${LINE}.Ds`,
      'VAT code': `${LINE}.VaId`,
    },
    splits: { Amount: [`${LINE}.AmDe`, `${LINE}.AmCr`] },
  },
  {
    file: '18-crm-persons-english.csv', // English CRM export: ISO countries, Address Line 1, no gender column
    connector: 'KnPerson',
    headerLine: 1,
    obvious: {
      'Customer ID': 'BcCo',
      'First Name': 'FiNm',
      'Last Name': 'LaNm',
      'Date of Birth': 'DaBi',
      'Address Line 1': `${ADR}.Ad`, // the street: House No is a column of its own
      'House No': `${ADR}.HmNr`,
      'Postal Code': `${ADR}.ZpCd`,
      Town: `${ADR}.Rs`,
      Country: `${ADR}.CoId`,
      'Home Phone': 'TeN2',
      'Mobile Phone': 'MbNr',
      'E-mail Address': 'EmAd',
    },
    notObvious: ['Title'], // AFAS titles are codes of the environment's own table
  },
  {
    file: '19-memoriaal-dc-indicator.csv', // an unsigned Bedrag with a D/C column, no year/period columns
    connector: 'FiEntries',
    headerLine: 1,
    obvious: {
      Dagboek: 'JoCo',
      Boekstuk: `${LINE}.BpNr`,
      Datum: `${LINE}.EnDa`,
      Grootboek: `${LINE}.AcNr`,
      Omschrijving: `${LINE}.Ds`,
    },
    splits: { Bedrag: [`${LINE}.AmDe`, `${LINE}.AmCr`] }, // on the side D/C names
  },
  {
    file: '20-crediteuren.csv', // creditors: Crediteurnummer is CrId and the organisation's number
    connector: 'KnPurchaseRelationOrg',
    headerLine: 1,
    obvious: {
      Crediteurnummer: 'CrId',
      'Naam leverancier': 'KnOrganisation.Nm',
      Straat: `KnOrganisation.${ADR}.Ad`,
      Huisnummer: `KnOrganisation.${ADR}.HmNr`,
      Postcode: `KnOrganisation.${ADR}.ZpCd`,
      Plaats: `KnOrganisation.${ADR}.Rs`,
      Land: `KnOrganisation.${ADR}.CoId`,
      IBAN: 'Iban',
      'E-mail': 'KnOrganisation.EmAd',
    },
  },
];

/** A field filled from another field's column on purpose (the voucher date is the entry date …). */
const TWINS: Record<string, string[]> = { BpDa: ['EnDa'], BcCo: ['DbId', 'CrId'], BaAc: ['Iban'] };

/** Whether `field <- column` is right: the obvious match, or a twin filled from its twin's column. */
function rightMatch(expected: ReadonlyMap<string, string>, field: string, column: string): boolean {
  if (expected.get(field) === column) return true;
  const twins = TWINS[field.split('.').at(-1) as string] ?? [];
  return [...expected].some(
    ([other, c]) => c === column && twins.includes(other.split('.').at(-1) as string),
  );
}

type Spec = { fields: Record<string, unknown>; objects?: Record<string, Spec> };

/** The column a value reads: `column`; for amounts and address parts also the column an `expr` splits. */
function columnOf(field: string, value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const { column, expr } = (value ?? {}) as { column?: unknown; expr?: unknown };
  if (typeof column === 'string') return column;
  const split = ['AmDe', 'AmCr', 'Ad', 'HmNr', 'HmAd'].includes(field);
  return split && typeof expr === 'string' ? /`([^`]+)`/.exec(expr)?.[1] : undefined;
}

/** Every `Object.Field -> column` the job maps (constants and templates are not column matches). */
function mappedColumns(spec: Spec, path: string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  for (const [field, value] of Object.entries(spec.fields)) {
    const column = columnOf(field, value);
    if (column !== undefined) out.set([...path, field].join('.'), column);
  }
  for (const [name, child] of Object.entries(spec.objects ?? {})) {
    for (const [field, column] of mappedColumns(child, [...path, name])) out.set(field, column);
  }
  return out;
}

/** `Object.Field -> column` of every obvious match, the split amount's two sides included. */
function expectedOf(fixture: Fixture): Map<string, string> {
  const expected = new Map(Object.entries(fixture.obvious).map(([column, field]) => [field, column]));
  for (const [column, fields] of Object.entries(fixture.splits ?? {}))
    for (const field of fields) expected.set(field, column);
  return expected;
}

let dir: string;
const inits = new Map<string, CliResult>();
let validate: CliResult;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'koppel-guess-messy-'));
  const limit = pLimit(3);
  await Promise.all(
    FIXTURES.map((fixture) =>
      limit(async () => {
        const sample = join(ROOT, 'test/fixtures/messy-exports', fixture.file);
        const args = ['init', fixture.connector, sample, '--sim', '--out', `${fixture.file}.yaml`];
        inits.set(fixture.file, await runCli(args, { cwd: dir }));
      }),
    ),
  );
  validate = await runCli(['validate', ...FIXTURES.map((f) => `${f.file}.yaml`), '--sim'], { cwd: dir });
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** How one generated job scores: header found, obvious matches made, wrong matches, valid. */
async function score(
  fixture: Fixture,
): Promise<{ header: boolean; made: number; obvious: number; wrong: string[]; valid: boolean }> {
  const file = join(dir, `${fixture.file}.yaml`);
  const { job } = parseJob(file, await readFile(file, 'utf8'), { skipConnection: true });
  const csv = (job.source as { csv: { skip_lines?: number; header?: unknown } }).csv;
  const skipped = (csv.skip_lines ?? 0) - (Array.isArray(csv.header) ? 1 : 0);
  const mapped = mappedColumns(job.target.element as Spec);
  const expected = expectedOf(fixture);
  return {
    header: skipped === fixture.headerLine - 1,
    made: [...expected].filter(([field, column]) => mapped.get(field) === column).length,
    obvious: expected.size,
    wrong: [...mapped]
      .filter(([field, column]) => !rightMatch(expected, field, column))
      .map(([field, column]) => `${fixture.file}: ${column} -> ${field}`),
    valid: validate.stdout.includes(`${fixture.file}.yaml: valid (${fixture.connector}`),
  };
}

describe('totals over every messy export', () => {
  it('finds every header, makes every obvious match and no wrong one, and every job is valid', async () => {
    const scores = await Promise.all(FIXTURES.map(score));
    const sum = (pick: (s: (typeof scores)[number]) => number): number =>
      scores.reduce((total, s) => total + pick(s), 0);
    const wrong = scores.flatMap((s) => s.wrong);
    const totals = {
      headers: `${sum((s) => Number(s.header))}/${FIXTURES.length}`,
      matches: `${sum((s) => s.made)}/${sum((s) => s.obvious)}`,
      wrong: wrong.length,
      valid: `${sum((s) => Number(s.valid))}/${FIXTURES.length}`,
    };
    console.log(
      `messy exports: headers ${totals.headers}, matches ${totals.matches}, wrong matches ${totals.wrong}, valid ${totals.valid}`,
    );
    expect({ ...totals, wrong }).toEqual({
      headers: `${FIXTURES.length}/${FIXTURES.length}`,
      matches: `${sum((s) => s.obvious)}/${sum((s) => s.obvious)}`,
      wrong: [],
      valid: `${FIXTURES.length}/${FIXTURES.length}`,
    });
  });
});

describe('the generated jobs run against the simulator', () => {
  // What `koppel validate` accepts, the simulator accepts: every record delivered (references
  // such as ledger accounts open), but for records whose data AFAS must refuse.
  it.each(FIXTURES)(
    'koppel run $file',
    async (fixture) => {
      const sim = await startSimulator({ port: 0, update: { openReferences: true } });
      try {
        const env = { AFAS_URL: sim.baseUrl(), KOPPEL_STATE_DIR: join(dir, '.state', fixture.file) };
        const run = await runCli(['run', `${fixture.file}.yaml`], { cwd: dir, env });
        const counts = /read (\d+) = (\d+) sent .* (\d+) rejected by AFAS/.exec(run.stdout);
        expect(counts, `${run.stdout}\n${run.stderr}`).not.toBeNull();
        const [read, sent, refused] = (counts ?? []).slice(1).map(Number);
        expect({ sent, refused }).toEqual({
          sent: (read ?? 0) - (fixture.refused ?? 0),
          refused: fixture.refused ?? 0,
        });
      } finally {
        await sim.close();
      }
    },
    60_000,
  );
});

describe('koppel init $schema', () => {
  it('points at the schema the CLI package carries (packed with it), relative to the job', async () => {
    const text = await readFile(join(dir, `${FIXTURES[0]?.file}.yaml`), 'utf8');
    const ref = /^# yaml-language-server: \$schema=(.+)$/m.exec(text)?.[1] as string;
    const installed = join(ROOT, 'packages/cli/dist/schemas/job.schema.json');
    expect(resolve(dir, ref)).toBe(installed);
    expect(await readFile(installed, 'utf8')).toBe(
      await readFile(join(ROOT, 'schemas/job.schema.json'), 'utf8'),
    );
    const pack = await promisify(execFile)('npm', ['pack', '--dry-run', '--json'], {
      cwd: join(ROOT, 'packages/cli'),
    });
    const [packed] = JSON.parse(pack.stdout) as { files: { path: string }[] }[];
    expect(packed?.files.map((f) => f.path)).toContain('dist/schemas/job.schema.json');
  }, 60_000);
});

describe('koppel guess', () => {
  it('prints a stub that skips the title lines and reads "-" as empty', async () => {
    const sample = join(ROOT, 'test/fixtures/messy-exports/01-klanten-excel-titel.csv');
    const guess = await runCli(['guess', sample], { cwd: dir });
    expect(guess.stderr).toBe('');
    expect(guess.stdout).toContain(
      '    skip_lines: 3 # 3 title/report line(s) before the header on line 4\n',
    );
    expect(guess.stdout).toContain('    null_strings: ["-"] # read as empty\n');
    expect(guess.stdout).toContain('      Huisnummer: { column: Huisnummer, type: int }');
  });
});

describe.each(FIXTURES)('koppel init $connector $file --sim', (fixture) => {
  it('finds the header, maps every obvious column to its field and no column to a wrong one', async () => {
    const init = inits.get(fixture.file) as CliResult;
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    if (fixture.headerLine > 1) expect(init.stdout).toContain(`header on line ${fixture.headerLine}, `);
    const file = join(dir, `${fixture.file}.yaml`);
    const text = await readFile(file, 'utf8');
    const { job } = parseJob(file, text, { skipConnection: true });
    const csv = (job.source as { csv: { skip_lines?: number; header?: unknown } }).csv;
    const skipped = (csv.skip_lines ?? 0) - (Array.isArray(csv.header) ? 1 : 0);
    expect(skipped).toBe(fixture.headerLine - 1);

    const mapped = mappedColumns(job.target.element as Spec);
    const expected = expectedOf(fixture);
    for (const [field, column] of expected)
      expect({ field, column: mapped.get(field) }).toEqual({ field, column });
    for (const [field, column] of mapped) {
      expect({ field, column, right: rightMatch(expected, field, column) }).toEqual({
        field,
        column,
        right: true,
      });
    }
    for (const column of fixture.notObvious ?? []) {
      expect([...mapped.values()]).not.toContain(column);
      const commented = text.split('\n').filter((line) => line.startsWith('#') && line.includes(column));
      expect(commented.length, `${column} appears in a comment`).toBeGreaterThan(0);
    }
  });

  it('writes a job koppel validate --sim accepts (apart from mandatory fields no column fills)', () => {
    const problems = validate.stdout
      .split('\n')
      .filter((line) => line.startsWith(`${join(dir, fixture.file)}.yaml:`));
    const todos = fixture.todos ?? [];
    if (todos.length === 0) {
      expect(validate.stdout).toContain(`${fixture.file}.yaml: valid (${fixture.connector}`);
    } else {
      expect(problems.map((line) => /mandatory field (\w+) /.exec(line)?.[1] ?? line)).toEqual(todos);
    }
  });
});
