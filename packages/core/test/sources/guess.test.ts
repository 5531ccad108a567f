import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { guessCsv } from '../../src/sources/guess-csv.js';
import { inferColumn } from '../../src/sources/infer-column.js';
import { renderJobStub } from '../../src/sources/job-stub.js';
import { fixture } from './fixture-path.js';

const dir = mkdtempSync(join(tmpdir(), 'koppel-guess-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('inferColumn', () => {
  it('infers int, decimal with its separator, dates with their pattern, Dutch booleans, codes as strings', () => {
    expect(inferColumn('n', ['1', '-20', ''], '.')).toEqual({
      name: 'n',
      type: 'int',
      maxLength: 3,
      empty: 1,
    });
    expect(inferColumn('a', ['1.234,56', '-0,50'], '.')).toMatchObject({ type: 'decimal', decimal: ',' });
    expect(inferColumn('a', ['1,234.56', '7.5'], ',')).toMatchObject({ type: 'decimal', decimal: '.' });
    expect(inferColumn('a', ['1.234', '7'], ',')).toMatchObject({ type: 'decimal', decimal: ',' });
    expect(inferColumn('d', ['01-02-2024', '31-12-2024'], ',')).toMatchObject({
      type: 'date',
      date: 'dd-MM-yyyy',
    });
    expect(inferColumn('d', ['1-2-2024', '31-12-2024'], ',')).toMatchObject({
      type: 'date',
      date: 'd-M-yyyy',
    });
    expect(inferColumn('d', ['20240201', '20241231'], ',')).toMatchObject({ type: 'date', date: 'yyyyMMdd' });
    expect(inferColumn('d', ['2024-02-01T10:00:00'], ',')).toMatchObject({ type: 'datetime' });
    expect(inferColumn('b', ['ja', 'Nee', 'waar', 'onwaar'], ',')).toMatchObject({ type: 'boolean' });
    expect(inferColumn('c', ['0012', '0400'], ',')).toMatchObject({ type: 'string', maxLength: 4 });
    expect(inferColumn('s', ['Zoë 😀', 'x'], ',')).toMatchObject({ type: 'string', maxLength: 5 });
  });
});

describe('guessCsv + renderJobStub', () => {
  it('prints a job stub with dialect, encoding and typed columns', async () => {
    const path = join(dir, 'klanten.csv');
    writeFileSync(
      path,
      'nr,code,actief,sinds,saldo,naam\n1,0012,ja,2024-01-31,12.50,Zoë\n2,0400,nee,2023-12-01,-3,"De Vries, Jan"\n',
    );
    const guess = await guessCsv({ path, displayPath: 'klanten.csv' });
    expect(renderJobStub(guess, { path: 'klanten.csv', name: 'klanten' })).toBe(
      [
        '# Job stub from `koppel guess klanten.csv` (2 records).',
        '# Check the types, then fill in connection, key and target (rename each field to its AFAS field id).',
        'version: 1',
        'name: klanten',
        'connection:',
        `  url: $${'{'}AFAS_URL}`,
        `  token: $${'{'}AFAS_TOKEN}`,
        'source:',
        '  csv:',
        '    path: klanten.csv',
        '    encoding: utf-8  # detected: valid UTF-8 over all 105 bytes',
        '    delimiter: ","',
        '    decimal: "."',
        'key: "{nr}"  # the column(s) that identify a record',
        'target:',
        '  update_connector: TODO  # e.g. KnSubject, FiEntries',
        '  method: insert',
        '  element:',
        '    fields:',
        '      nr: { column: nr, type: int }  # max 1 characters',
        '      code: { column: code }  # max 4 characters',
        '      actief: { column: actief, type: boolean }  # max 3 characters',
        '      sinds: { column: sinds, type: date, date: yyyy-MM-dd }  # max 10 characters',
        '      saldo: { column: saldo, type: decimal }  # max 5 characters',
        '      naam: { column: naam }  # max 13 characters',
        '',
      ].join('\n'),
    );
  });

  it('reports Windows-1252 and the decimal comma of a `;` file', async () => {
    const guess = await guessCsv({ path: fixture('windows-1252.csv') });
    expect(guess.detected.encoding).toBe('windows-1252');
    expect(guess.columns.map((c) => [c.name, c.type, c.decimal ?? null])).toEqual([
      ['naam', 'string', null],
      ['plaats', 'string', null],
      ['bedrag', 'decimal', ','],
      ['notitie', 'string', null],
    ]);
  });
});
