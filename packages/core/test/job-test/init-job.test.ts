import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  compileJob,
  guessCsv,
  matchScore,
  parseJob,
  renderInitJob,
  type UpdateFieldMeta,
  type UpdateMetainfo,
} from '../../src/index.js';
import { SURE_SCORE } from '../../src/job-test/match-columns.js';
import { codesFor } from '../../src/job-test/value-codes.js';

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
    // Short field ids are words too: only the exact spelling matches, and then not for certain.
    expect(matchScore('LaNm', 'LaNm', [])).toBe(0.9);
    expect(matchScore('in', 'In', ['Voorletters'])).toBe(0);
    expect(matchScore('BankAccount', 'BankAccount', [])).toBe(1);
    expect(matchScore('achter_naam', 'LaNm', ['Achternaam'])).toBe(1);
    expect(matchScore('HUISNR', 'HmNr', ['Huisnummer'])).toBe(1);
    expect(matchScore('last name', 'LaNm', ['Achternaam', 'Last name'])).toBe(1);
    // A prefix, a suffix or one word of a label is only a suggestion (below SURE_SCORE): naam is
    // also "Naam bestand"; rekening, jaar and debet are mapped through the curated export headers.
    expect(matchScore('rekening', 'AcNr', ['Rekeningnummer'])).toBe(0.8);
    expect(matchScore('jaar', 'Year', ['Boekjaar'])).toBe(0.8);
    expect(matchScore('debet', 'AmDe', ['Bedrag debet'])).toBeCloseTo(0.8);
    expect(matchScore('naam', 'FileName', ['Naam bestand'])).toBeLessThan(SURE_SCORE);
    expect(matchScore('city', 'Rs', ['Woonplaats', 'Residence'])).toBe(1);
    expect(matchScore('gender', 'LaNm', ['Achternaam', 'Last name'])).toBe(0);
  });
});

describe('renderInitJob', () => {
  it('maps a finance export to FiEntries and leaves only the unmatched mandatory fields as TODOs', async () => {
    const guess = await guessCsv({ path: jobs('fientries-upload/data/journaal-2024.csv') });
    const meta = await metainfo('fientries-upload/fixtures/FiEntries.nl-nl.json');
    const job = renderInitJob(guess, meta, {
      connector: 'FiEntries',
      ...options,
      path: 'data/journaal-2024.csv',
      today: '2024-01-01',
    });
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
        '    thousands: "."', // the amounts group thousands: 1.210,00
        'key: "{boekstuk}" # the column(s) that identify a record, stable across runs',
        'target:',
        '  update_connector: FiEntries',
        '  method: insert',
        '  group_by: boekstuk # contiguous rows with one voucher number are one entry',
        '  element:',
        '    fields:',
        '      Year: jaar # Boekjaar (mandatory int); known header 95%',
        '      Peri: periode # Periode (mandatory int); label 100%',
        '      JoCo: dagboek # Dagboek (mandatory string, max 6); label 100%',
        '    objects:',
        '      FiEntries:',
        '        each: row # every row of the entry is a line',
        '        fields:',
        '          BpDa: { column: boekdatum, date: dd-MM-yyyy } # Datum boekstuk; set by koppel init: the voucher date is the entry date',
        '          VaAs: { column: soort, codes: { "G": "1", "D": "2", "C": "3" } } # Kenmerk rekening (mandatory string, max 10); codes: 1 (Grootboekrekening), 2 (Debiteur), 3 (Crediteur); values are account kinds 90%',
        '          AcNr: rekening # Rekeningnummer (mandatory string, max 16); known header 95%',
        '          EnDa: { column: boekdatum, date: dd-MM-yyyy } # Boekdatum (mandatory date); label 100%',
        '          BpNr: boekstuk # Boekstuknummer (string, max 32); known header 95%',
        '          Ds: omschrijving # Omschrijving boeking (string, max 255); known header 95%',
        '          AmDe: debet # Bedrag debet (decimal); known header 95%',
        '          AmCr: credit # Bedrag credit (decimal); known header 95%',
        '          VaId: btw_code # Btw-code (string, max 3); label 100%',
        // "rekening" does not say the accounts are ledger accounts (the soort column mixes G, D, C)
        '  checks: [balanced] # an entry whose debit and credit differ is rejected before sending',
        '',
      ].join('\n'),
    );
    expect(job.todos).toEqual([]);
    expect(job.defaults).toEqual(['FiEntries.BpDa']);
    // The account kinds G/D/C of `soort` are mapped to VaAs codes: the job compiles as it is.
    const loaded = parseJob('/x/journaal.yaml', job.text, { skipConnection: true });
    expect(() => compileJob(loaded, { metainfo: meta })).not.toThrow();
  });

  it('matches padded legacy columns (trim and NULL found); the mandatory AFAS settings get defaults', async () => {
    const guess = await guessCsv({ path: jobs('legacy-migration/data/KLANTEN.TXT') });
    const meta = await metainfo('legacy-migration/fixtures/KnPerson.nl-nl.json');
    const job = renderInitJob(guess, meta, {
      connector: 'KnPerson',
      ...options,
      name: 'klanten',
      path: 'KLANTEN.TXT',
      today: '2024-01-01',
    });
    expect(job.text).toContain(
      '    encoding: windows-1252\n    delimiter: ";"\n    trim: true # values are padded with spaces\n    null_strings: ["NULL"] # read as empty\n',
    );
    expect(
      job.matches.map((m) => `${[...m.objectPath, m.field.fieldId].join('.')}=${m.column}`).sort(),
    ).toEqual(
      [
        'BcCo=KLANTNR',
        'DaBi=GEBDATUM',
        'FiNm=VOORNAAM',
        'Is=TUSSENV',
        'KnBasicAddressAdr.Ad=STRAAT',
        'KnBasicAddressAdr.CoId=LAND',
        'KnBasicAddressAdr.HmNr=HUISNR',
        'KnBasicAddressAdr.Rs=PLAATS',
        'KnBasicAddressAdr.ZpCd=POSTCODE',
        'LaNm=ACHTERNAAM',
        'EmAd=EMAIL',
      ].sort(),
    );
    // GESLACHT holds 1/2, not AFAS's codes: only suggested, and the gender Profit requires is a
    // TODO that names it (never the default O while a gender column exists).
    expect(job.suggestions.map((match) => `${match.field.fieldId}=${match.column}`)).toContain(
      'ViGe=GESLACHT',
    );
    expect(job.text).toContain(
      '# TODO ViGe: Geslacht (string, max 20) has no matching column; map one (GESLACHT is suggested below)',
    );
    // The recorded metainfo marks these mandatory on insert; they are AFAS settings, not data.
    expect(job.todos).toEqual(['KnPerson.ViGe']);
    expect(job.defaults).toEqual([
      'KnPerson.PadAdr',
      'KnPerson.AutoNum',
      'KnPerson.MatchPer',
      'KnPerson.AddToPortal',
      'KnBasicAddressAdr.PbAd',
      'KnBasicAddressAdr.BeginDate',
      'KnBasicAddressAdr.ResZip',
    ]);
    expect(job.text).toContain(
      '      AutoNum: false # Autonummering; set by koppel init: the number comes from the export (BcCo)\n',
    );
    // The written job compiles against the metainfo without a problem.
    expect(() =>
      compileJob(parseJob('/x/klanten.yaml', job.text, { skipConnection: true }), { metainfo: meta }),
    ).not.toThrow();
  });
});

describe('codesFor', () => {
  const field = (fieldId: string, values: UpdateFieldMeta['values']): UpdateFieldMeta => ({
    fieldId,
    primaryKey: false,
    dataType: 'string',
    label: fieldId,
    mandatory: false,
    length: 3,
    decimals: 0,
    decimalFieldId: '',
    notzero: false,
    controlType: 1,
    values,
  });
  const gender = [
    { id: 'M', description: 'Man' },
    { id: 'V', description: 'Vrouw' },
  ];
  it('converts ISO countries AFAS writes otherwise and descriptions of coded fields; leaves codes alone', () => {
    expect(codesFor(field('CoId', null), ['NL', 'BE', 'DE'])).toBe('{ by: iso-country }');
    expect(codesFor(field('CoId', null), ['NL'])).toBeUndefined(); // NL is NL in AFAS too
    expect(codesFor(field('CoId', null), ['NL', 'B', 'D'])).toBeUndefined(); // already AFAS codes
    expect(codesFor(field('ViGe', gender), ['Man', 'vrouw', 'M'])).toBe('{ by: description }');
    expect(codesFor(field('ViGe', gender), ['M', 'V'])).toBeUndefined();
    expect(codesFor(field('ViGe', gender), ['1', '2'])).toBeUndefined(); // no guess: a code table is needed
  });
});
