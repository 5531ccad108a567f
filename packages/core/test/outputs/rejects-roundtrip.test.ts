import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import type { TextEncoding } from '../../src/encoding/text-encoding.js';
import { createRejectsWriter } from '../../src/outputs/rejects-writer.js';
import { JsonNumber, type SourceRecord } from '../../src/record.js';
import type { CsvSourceOptions } from '../../src/sources/csv-options.js';
import { openCsvSource } from '../../src/sources/csv-source.js';
import { openJsonSource } from '../../src/sources/json-source.js';
import { openJsonlSource } from '../../src/sources/jsonl-source.js';

const dir = mkdtempSync(join(tmpdir(), 'koppel-rejects-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Variant {
  name: string;
  encoding: TextEncoding;
  bom: boolean;
  eol: string;
  lines: string[];
}

const variants: Variant[] = [
  {
    name: 'Windows-1252, `;`, CRLF, quotes where needed, no BOM',
    encoding: 'windows-1252',
    bom: false,
    eol: '\r\n',
    lines: [
      'nr;naam;bedrag;omschrijving',
      '1;Zoë;12,50;gewoon',
      '2;Straße;-3,00;"met ; erin"',
      '3;Café;1.234,56;"zeg ""hallo"""',
      '4;Mëlle;0,01;€ 5',
    ],
  },
  {
    name: 'UTF-8 with BOM, `;`, LF, every field quoted',
    encoding: 'utf-8',
    bom: true,
    eol: '\n',
    lines: [
      '"nr";"naam";"bedrag";"omschrijving"',
      '"1";"Zoë";"12,50";"gewoon"',
      '"2";"Straße";"-3,00";"met ; erin"',
      '"3";"Café 😀";"1.234,56";"zeg ""hallo"""',
      '"4";"Mëlle";"0,01";"€ 5"',
    ],
  },
];

function encode(variant: Variant, text: string): Buffer {
  const body = iconv.encode(text, variant.encoding, { addBOM: false });
  return variant.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}

async function readAll(options: CsvSourceOptions) {
  const source = await openCsvSource(options);
  const records: SourceRecord[] = [];
  for await (const record of source) records.push(record);
  return { source, records };
}

describe.each(variants)('rejects round trip: $name', (variant) => {
  it('writes rejected rows byte for byte in the input dialect, and the fixed file reads back the same way', async () => {
    const input = join(dir, `${variant.encoding}.csv`);
    writeFileSync(input, encode(variant, variant.lines.map((l) => l + variant.eol).join('')));
    const options: CsvSourceOptions = { path: input, encoding: 'auto' };
    const { source, records } = await readAll(options);
    expect(source.dialect).toMatchObject({
      delimiter: ';',
      encoding: variant.encoding,
      bom: variant.bom,
      lineEnding: variant.eol,
    });

    const rejectsPath = join(dir, `${variant.encoding}.rejects.csv`);
    const rejects = await createRejectsWriter({ path: rejectsPath, source });
    await rejects.write(records[1]!, {
      message: 'Bedrag onjuist;\nveld "AmDe"',
      profitLogReference: 'ABC-123',
    });
    await rejects.write(records[2]!, { message: 'Onbekende code' });
    await rejects.close();

    const errorSuffix = (cells: string[]) =>
      variant.bom
        ? cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(';')
        : cells.map((c) => (/[;"]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(';');
    const expected = [
      `${variant.lines[0]};${errorSuffix(['koppel_error', 'koppel_profit_log_reference'])}`,
      `${variant.lines[2]};${errorSuffix(['Bedrag onjuist; veld "AmDe"', 'ABC-123'])}`,
      `${variant.lines[3]};${errorSuffix(['Onbekende code', ''])}`,
    ];
    const written = readFileSync(rejectsPath);
    expect(written).toEqual(encode(variant, expected.map((l) => l + variant.eol).join('')));

    // The user fixes the amount of row 2 in a text editor, keeping everything else.
    const text = iconv.decode(written, variant.encoding, { stripBOM: true });
    writeFileSync(rejectsPath, encode(variant, text.replace('-3,00', '3,00')));

    const again = await readAll({ ...options, path: rejectsPath });
    expect(again.source.dialect).toEqual({ ...source.dialect });
    expect(again.source.columns).toEqual(source.columns);
    expect(again.records.map((r) => ({ ...r.fields }))).toEqual([
      { ...records[1]!.fields, bedrag: '3,00' },
      { ...records[2]!.fields },
    ]);
    expect(again.records[1]!.raw).toEqual(records[2]!.raw);
    expect(again.records.map((r) => r.origin.line)).toEqual([2, 3]);
  });
});

describe('JSONL rejects', () => {
  it('writes the records back with the error keys, readable by the same source', async () => {
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, '{"id": 1, "amount": 1.10}\n{"id": 2, "amount": 2.00}\n');
    const source = await openJsonlSource({ path: input });
    const rejects = await createRejectsWriter({
      path: join(dir, 'in.rejects.jsonl'),
      source,
      errorColumn: 'fout',
    });
    for await (const record of source)
      if (record.origin.index === 1) await rejects.write(record, { message: 'Nee' });
    await rejects.close();
    expect(readFileSync(join(dir, 'in.rejects.jsonl'), 'utf8')).toBe(
      '{"id":2,"amount":2.00,"fout":"Nee","koppel_profit_log_reference":null}\n',
    );
  });

  it('writes JSON rejects under the same pointer, so the same job reads them back', async () => {
    const input = join(dir, 'in.json');
    writeFileSync(input, '{"data": {"items": [{"id": 1, "amount": 1.10}, {"id": 2, "amount": 2.00}]}}');
    const source = await openJsonSource({ path: input, records: '/data/items' });
    const path = join(dir, 'in.rejects.json');
    const rejects = await createRejectsWriter({ path, source });
    for await (const record of source)
      await rejects.write(record, { message: 'Fout', profitLogReference: 'R1' });
    await rejects.close();
    const back: unknown[] = [];
    for await (const record of await openJsonSource({ path, records: '/data/items' }))
      back.push({ ...record.fields });
    expect(back).toEqual([
      {
        id: new JsonNumber('1'),
        amount: new JsonNumber('1.10'),
        koppel_error: 'Fout',
        koppel_profit_log_reference: 'R1',
      },
      {
        id: new JsonNumber('2'),
        amount: new JsonNumber('2.00'),
        koppel_error: 'Fout',
        koppel_profit_log_reference: 'R1',
      },
    ]);
  });
});
