import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCsvWriter } from '../../src/outputs/csv-writer.js';
import { createJsonArrayWriter } from '../../src/outputs/json-array-writer.js';
import { createJsonlWriter } from '../../src/outputs/jsonl-writer.js';
import { JsonNumber } from '../../src/record.js';
import { openJsonSource } from '../../src/sources/json-source.js';

const dir = mkdtempSync(join(tmpdir(), 'koppel-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CSV writer', () => {
  it('writes the dialect exactly: delimiter, needed quoting, CRLF, BOM, Windows-1252', async () => {
    const path = join(dir, 'w1252.csv');
    const writer = await createCsvWriter({
      path,
      columns: ['naam', 'bedrag', 'notitie'],
      delimiter: ';',
      encoding: 'windows-1252',
    });
    await writer.write({ naam: 'Zoë', bedrag: new JsonNumber('12.10'), notitie: 'a;b "c"' });
    await writer.write({ naam: null, bedrag: true, notitie: 'x\ny' });
    await writer.close();
    expect(readFileSync(path)).toEqual(
      Buffer.from('naam;bedrag;notitie\r\nZo\xeb;12.10;"a;b ""c"""\r\n;true;"x\ny"\r\n', 'latin1'),
    );
    const excel = join(dir, 'excel.csv');
    const all = await createCsvWriter({
      path: excel,
      columns: ['a', 'b'],
      quoting: 'all',
      lineEnding: '\n',
      bom: true,
    });
    await all.writeRow(['1', null]);
    await all.close();
    expect(readFileSync(excel)).toEqual(Buffer.from('\ufeff"a","b"\n"1",""\n', 'utf8'));
  });

  it('shows nothing under the final name before close, and abort removes the temporary file', async () => {
    const path = join(dir, 'atomic.csv');
    const writer = await createCsvWriter({ path, columns: ['a'] });
    await writer.write({ a: '1' });
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('.atomic.csv.'))).toHaveLength(1);
    await writer.abort();
    await writer.abort();
    expect(readdirSync(dir).filter((f) => f.includes('atomic.csv'))).toEqual([]);
    await expect(writer.write({ a: '2' })).rejects.toThrow(`Cannot write to ${path}: it is already aborted`);
  });

  it('reports a missing directory as a typed error', async () => {
    await expect(createCsvWriter({ path: join(dir, 'nope', 'x.csv'), columns: ['a'] })).rejects.toMatchObject(
      {
        code: 'KOPPEL_OUTPUT',
      },
    );
  });
});

describe('JSON writers', () => {
  it('writes JSONL with exact numbers and null-prototype objects', async () => {
    const path = join(dir, 'out.jsonl');
    const writer = await createJsonlWriter({ path });
    const record = Object.create(null);
    Object.defineProperty(record, '__proto__', { value: 'x', enumerable: true, writable: true });
    Object.assign(record, { n: new JsonNumber('1.50'), a: [null, true] });
    await writer.write(record);
    await writer.close();
    await writer.close();
    expect(readFileSync(path, 'utf8')).toBe('{"__proto__":"x","n":1.50,"a":[null,true]}\n');
  });

  it('writes a JSON array nested at a pointer that the JSON source reads back', async () => {
    const path = join(dir, 'out.json');
    const writer = await createJsonArrayWriter({ path, pointer: '/data/items' });
    await writer.write({ id: new JsonNumber('1'), name: 'Zoë' });
    await writer.write({ id: new JsonNumber('2') });
    await writer.close();
    expect(readFileSync(path, 'utf8')).toBe('{"data":{"items":[\n{"id":1,"name":"Zoë"},\n{"id":2}\n]}}\n');
    const lines: number[] = [];
    for await (const r of await openJsonSource({ path, records: '/data/items' })) lines.push(r.origin.line);
    expect(lines).toEqual([2, 3]);
  });
});
