import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  compileJob,
  guessCsv,
  JobInvalidError,
  matchScore,
  parseJob,
  renderInitJob,
  type UpdateMetainfo,
} from '../../src/index.js';

const jobs = (path: string): string => fileURLToPath(new URL(`../../../../jobs/${path}`, import.meta.url));
const metainfo = async (path: string): Promise<UpdateMetainfo> =>
  JSON.parse(await readFile(jobs(path), 'utf8')) as UpdateMetainfo;

const options = {
  name: 'journaal',
  schema: '../schemas/job.schema.json',
  connection: ['connection: acme'],
  command: 'koppel init FiEntries journaal.csv',
};

describe('matchScore', () => {
  it('scores exact ids and labels 1, short forms and label words lower, unrelated names 0', () => {
    expect(matchScore('LaNm', 'LaNm', [])).toBe(1);
    expect(matchScore('achter_naam', 'LaNm', ['Achternaam'])).toBe(1);
    expect(matchScore('HUISNR', 'HmNr', ['Huisnummer'])).toBe(1);
    expect(matchScore('last name', 'LaNm', ['Achternaam', 'Last name'])).toBe(1);
    expect(matchScore('rekening', 'AcNr', ['Rekeningnummer'])).toBe(0.9);
    expect(matchScore('jaar', 'Year', ['Boekjaar'])).toBe(0.8);
    expect(matchScore('debet', 'AmDe', ['Bedrag debet'])).toBe(0.85);
    expect(matchScore('city', 'Rs', ['Woonplaats', 'Residence'])).toBe(1);
    expect(matchScore('gender', 'LaNm', ['Achternaam', 'Last name'])).toBe(0);
  });
});

describe('renderInitJob', () => {
  it('maps a finance export to FiEntries and leaves only the unmatched mandatory fields as TODOs', async () => {
    const guess = await guessCsv({ path: jobs('fientries-upload/data/journaal-2024.csv') });
    const meta = await metainfo('fientries-upload/fixtures/FiEntries.nl-nl.json');
    const job = renderInitJob('FiEntries', guess, meta, { ...options, path: 'data/journaal-2024.csv' });
    expect(job.text).toBe(
      [
        '# yaml-language-server: $schema=../schemas/job.schema.json',
        '# Made by `koppel init FiEntries journaal.csv` from 19 records.',
        '# Check every mapping, fill in each TODO, then: koppel validate <this file> (--sim) and koppel plan.',
        'version: 1',
        'name: journaal',
        'connection: acme',
        'source:',
        '  csv:',
        '    path: data/journaal-2024.csv',
        '    encoding: utf-8',
        '    delimiter: ";"',
        '    decimal: ","',
        'key: "{boekstuk}" # the column(s) that identify a record, stable across runs',
        'target:',
        '  update_connector: FiEntries',
        '  method: insert',
        '  element:',
        '    fields:',
        '      Year: jaar # Boekjaar (mandatory int)',
        '      Peri: periode # Periode (mandatory int)',
        '      JoCo: dagboek # Dagboek (mandatory string, max 6)',
        '    objects:',
        '      FiEntries:',
        '        fields:',
        '          AcNr: rekening # Rekeningnummer (mandatory string, max 16)',
        '          EnDa: { column: boekdatum, date: dd-MM-yyyy } # Boekdatum (mandatory date)',
        '          BpNr: boekstuk # Boekstuknummer (string, max 32)',
        '          Ds: omschrijving # Omschrijving boeking (string, max 255)',
        '          AmDe: debet # Bedrag debet (decimal)',
        '          AmCr: credit # Bedrag credit (decimal)',
        '          VaId: btw_code # Btw-code (string, max 3)',
        '          # TODO VaAs: Kenmerk rekening (mandatory string, max 10) has no matching column; map one; codes: 1 (Grootboekrekening), 2 (Debiteur), 3 (Crediteur)',
        '          # TODO BpDa: Datum boekstuk (mandatory date) has no matching column; map one',
        '# Entry lines: add `group_by: <the column numbering the entry>` under target, `each: row` under FiEntries,',
        '# and `checks: [balanced]`; see docs/mapping.md.',
        '# Columns without a field (map them or leave them out): soort',
        '',
      ].join('\n'),
    );
    expect(job.todos).toEqual(['FiEntries.VaAs', 'FiEntries.BpDa']);
    const loaded = parseJob('/x/journaal.yaml', job.text, { skipConnection: true });
    let problems: string[] = [];
    try {
      compileJob(loaded, { metainfo: meta });
    } catch (error) {
      if (!(error instanceof JobInvalidError)) throw error;
      problems = error.problems.map((problem) => problem.message);
    }
    expect(problems).toEqual([
      'mandatory field VaAs (Kenmerk rekening) of FiEntries is not mapped; add `VaAs: <column>`',
      'mandatory field BpDa (Datum boekstuk) of FiEntries is not mapped; add `BpDa: <column>`',
    ]);
  });

  it('matches padded legacy columns read with trim; only the mandatory fields without a column are TODOs', async () => {
    const guess = await guessCsv({ path: jobs('legacy-migration/data/KLANTEN.TXT'), trim: true });
    const meta = await metainfo('legacy-migration/fixtures/KnPerson.nl-nl.json');
    const job = renderInitJob('KnPerson', guess, meta, {
      ...options,
      name: 'klanten',
      path: 'KLANTEN.TXT',
      trim: true,
    });
    expect(job.text).toContain('    encoding: windows-1252\n    delimiter: ";"\n    trim: true\n');
    expect(
      job.matches.map((m) => `${[...m.objectPath, m.field.fieldId].join('.')}=${m.column}`).sort(),
    ).toEqual(
      [
        'FiNm=VOORNAAM',
        'KnBasicAddressAdr.Ad=STRAAT',
        'KnBasicAddressAdr.CoId=LAND',
        'KnBasicAddressAdr.HmNr=HUISNR',
        'KnBasicAddressAdr.Rs=PLAATS',
        'KnBasicAddressAdr.ZpCd=POSTCODE',
        'LaNm=ACHTERNAAM',
        'ViGe=GESLACHT',
        'EmAd=EMAIL',
      ].sort(),
    );
    // The recorded metainfo marks these mandatory on insert; the export has no column for them.
    const todos = [
      'KnPerson.PadAdr',
      'KnPerson.AutoNum',
      'KnPerson.MatchPer',
      'KnPerson.BcCo',
      'KnPerson.AddToPortal',
      'KnBasicAddressAdr.PbAd',
      'KnBasicAddressAdr.BeginDate',
      'KnBasicAddressAdr.ResZip',
    ];
    expect(job.todos).toEqual(todos);
    // Compiling the written job names exactly those fields (as TODOs they are not mapped yet).
    let problems: string[] = [];
    try {
      compileJob(parseJob('/x/klanten.yaml', job.text, { skipConnection: true }), { metainfo: meta });
    } catch (error) {
      problems = (error as { problems?: { message: string }[] }).problems?.map((p) => p.message) ?? [];
    }
    expect(problems).toHaveLength(todos.length);
    for (const todo of todos) {
      const field = todo.split('.').at(-1) as string;
      expect(problems.some((message) => message.includes(`mandatory field ${field} `))).toBe(true);
    }
  });
});
