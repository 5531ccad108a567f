import { describe, expect, it } from 'vitest';
import { openCsvSource } from '../../src/sources/csv-source.js';
import { collect, fixture, plain } from './fixture-path.js';

describe('CSV fixtures', () => {
  it('reads Windows-1252 with ë é ß € and curly quotes, detected because it is not UTF-8', async () => {
    const source = await openCsvSource({ path: fixture('windows-1252.csv'), displayPath: 'in/w.csv' });
    expect(source.detected).toEqual({
      encoding: 'windows-1252',
      bom: false,
      reason:
        'detected: not UTF-8 (byte 0xEB at 2:2, byte offset 29); bytes 0x80-0x9F are text only in windows-1252',
    });
    expect(source.dialect).toMatchObject({
      delimiter: ';',
      lineEnding: '\r\n',
      bom: false,
      quoting: 'needed',
    });
    const records = await collect(source);
    expect(records.map(plain)).toEqual([
      { naam: 'Mëlle', plaats: 'Café', bedrag: '12,50', notitie: '€ 5 korting' },
      { naam: 'Straße', plaats: 'Zoë', bedrag: '-3,00', notitie: '‘ok’' },
    ]);
    expect(records.map((r) => r.origin)).toEqual([
      { file: 'in/w.csv', line: 2, index: 0 },
      { file: 'in/w.csv', line: 3, index: 1 },
    ]);
  });

  it('reads an Excel CSV with BOM, `;` and decimal commas; quoting is detected as needed-only', async () => {
    const source = await openCsvSource({ path: fixture('excel-bom.csv') });
    expect(source.detected).toEqual({ encoding: 'utf-8', bom: true, reason: 'bom' });
    expect(source.columns).toEqual(['Factuur', 'Omschrijving', 'Bedrag', 'Datum']);
    expect(source.dialect).toMatchObject({
      delimiter: ';',
      lineEnding: '\r\n',
      quoting: 'needed',
      headerQuoting: 'needed',
    });
    const records = await collect(source);
    expect(records.map(plain)).toEqual([
      { Factuur: 'F-001', Omschrijving: 'Koffie', Bedrag: '1.234,56', Datum: '01-02-2024' },
      { Factuur: 'F-002', Omschrijving: 'Thee; groen', Bedrag: '-0,50', Datum: '29-02-2024' },
      { Factuur: 'F-003', Omschrijving: 'Zeg "hallo"', Bedrag: '7,00', Datum: '31-12-2024' },
    ]);
    expect(records.map((r) => r.origin.line)).toEqual([2, 3, 4]);
  });

  it('reads UTF-16 LE and BE with BOM, tab separated, including a surrogate pair', async () => {
    const le = await openCsvSource({ path: fixture('utf16le-bom.txt') });
    expect(le.detected).toEqual({ encoding: 'utf-16le', bom: true, reason: 'bom' });
    expect(le.dialect.delimiter).toBe('\t');
    expect((await collect(le)).map(plain)).toEqual([
      { id: '1', naam: 'Jürgen' },
      { id: '2', naam: 'Zoë 😀' },
    ]);
    const be = await openCsvSource({ path: fixture('utf16be-bom.txt') });
    expect(be.detected).toEqual({ encoding: 'utf-16be', bom: true, reason: 'bom' });
    expect((await collect(be)).map(plain)).toEqual([{ id: '1', naam: 'Jürgen' }]);
  });

  it('reads ISO-8859-15 when declared (byte A4 is €, where ISO-8859-1 has ¤)', async () => {
    const latin9 = await openCsvSource({ path: fixture('iso-8859-15.csv'), encoding: 'iso-8859-15' });
    expect((await collect(latin9)).map(plain)).toEqual([{ code: 'EUR', teken: '€' }]);
    const latin1 = await openCsvSource({ path: fixture('iso-8859-15.csv'), encoding: 'iso-8859-1' });
    expect((await collect(latin1)).map(plain)).toEqual([{ code: 'EUR', teken: '¤' }]);
  });

  it('keeps quoted newlines in values and counts them in physical line numbers', async () => {
    const records = await collect(await openCsvSource({ path: fixture('quoted-newlines.csv') }));
    expect(records.map(plain)).toEqual([
      { id: '1', note: 'line one\nline two', amount: '5' },
      { id: '2', note: 'a "quoted" word', amount: '6' },
      { id: '3', note: 'x\r\ny\nz', amount: '7' },
      { id: '4', note: 'plain', amount: '8' },
    ]);
    expect(records.map((r) => [r.origin.line, r.origin.index])).toEqual([
      [2, 0],
      [4, 1],
      [6, 2],
      [9, 3],
    ]);
  });

  it('gunzips by magic bytes when gzip is auto, whatever the name', async () => {
    const source = await openCsvSource({ path: fixture('gzipped.csv.bin') });
    expect(source.dialect.gzip).toBe(true);
    expect((await collect(source)).map(plain)).toEqual([
      { id: '1', naam: 'Jürgen' },
      { id: '2', naam: 'Zoë' },
    ]);
  });

  it('reads `__proto__` and `constructor` headers as plain keys of null-prototype records', async () => {
    const [record] = await collect(await openCsvSource({ path: fixture('proto-header.csv') }));
    expect(Object.getPrototypeOf(record!.fields)).toBe(null);
    expect(Object.keys(record!.fields)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getOwnPropertyDescriptor(record!.fields, '__proto__')?.value).toBe('1');
    expect(record!.fields.constructor).toBe('2');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('skips a title line and comment lines and keeps the title for the rejects file', async () => {
    const source = await openCsvSource({
      path: fixture('title-and-comments.csv'),
      skipLines: 1,
      comment: '#',
    });
    expect(source.dialect).toMatchObject({
      delimiter: '|',
      lineEnding: '\n',
      preamble: ['Export 2024-03-01'],
    });
    const records = await collect(source);
    expect(records.map(plain)).toEqual([
      { id: '1', naam: 'Jan' },
      { id: '2', naam: 'Piet' },
    ]);
    expect(records.map((r) => r.origin.line)).toEqual([4, 6]);
  });

  it('pads or truncates ragged rows when the job says so, keeping the raw cells', async () => {
    const padded = await openCsvSource({ path: fixture('ragged.csv'), ragged: 'truncate' });
    const records = await collect(padded);
    expect(records.map(plain)).toEqual([
      { a: '1', b: '2', c: '3' },
      { a: '4', b: '5', c: null },
      { a: '6', b: '7', c: '8' },
    ]);
    expect(records[2]!.raw).toEqual(['6', '7', '8', '9']);
  });

  it('applies declared columns, trim and null strings', async () => {
    const source = await openCsvSource({
      path: fixture('quoted-newlines.csv'),
      header: ['nr', 'tekst', 'bedrag'],
      nullStrings: ['plain'],
    });
    expect(source.dialect.header).toBeNull();
    const records = await collect(source);
    expect(records[0]).toEqual({
      fields: Object.assign(Object.create(null), { nr: 'id', tekst: 'note', bedrag: 'amount' }),
      origin: { file: fixture('quoted-newlines.csv'), line: 1, index: 0 },
      raw: ['id', 'note', 'amount'],
    });
    expect(plain(records[4]!)).toEqual({ nr: '4', tekst: null, bedrag: '8' });
  });

  it('names columns column_1... when there is no header, and stops reading when the consumer stops', async () => {
    const source = await openCsvSource({ path: fixture('proto-header.csv'), header: false });
    expect(source.columns).toEqual(['column_1', 'column_2', 'column_3']);
    const first: unknown[] = [];
    for await (const record of source) {
      first.push(plain(record));
      break;
    }
    expect(first).toEqual([{ column_1: '__proto__', column_2: 'constructor', column_3: 'toString' }]);
  });
});
