import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonNumber } from '../../src/record.js';
import { openJsonSource } from '../../src/sources/json-source.js';
import { openJsonlSource } from '../../src/sources/jsonl-source.js';
import { collect, fixture, plain } from './fixture-path.js';

const dir = mkdtempSync(join(tmpdir(), 'koppel-json-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe('JSON source', () => {
  it('streams the array at a JSON pointer with exact numbers, null prototypes and element lines', async () => {
    const source = await openJsonSource({
      path: fixture('items.json'),
      records: '/data/items',
      displayPath: 'i.json',
    });
    const records = await collect(source);
    expect(records.map((r) => r.origin)).toEqual([
      { file: 'i.json', line: 5, index: 0 },
      { file: 'i.json', line: 6, index: 1 },
    ]);
    const first = records[0]!.fields;
    expect(Object.getPrototypeOf(first)).toBe(null);
    expect(Object.keys(first)).toEqual(['id', 'amount', 'big', '__proto__']);
    expect(first.amount).toEqual(new JsonNumber('12.10'));
    expect(first.big).toEqual(new JsonNumber('12345678901234567890'));
    expect({ ...(Object.getOwnPropertyDescriptor(first, '__proto__')?.value as object) }).toEqual({
      polluted: true,
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(records[1]!.fields).toEqual(
      Object.assign(Object.create(null), {
        id: new JsonNumber('2'),
        amount: new JsonNumber('-0.5e-3'),
        name: 'Zoë',
        tags: [true, null],
      }),
    );
  });

  it('reports a truncated array with file:line:col and what it ended inside, after the complete records', async () => {
    const source = await openJsonSource({
      path: fixture('truncated.json'),
      records: '/data/items',
      displayPath: 't.json',
    });
    const seen: number[] = [];
    const read = (async () => {
      for await (const record of source) seen.push(record.origin.line);
    })();
    await expect(read).rejects.toThrow(
      't.json:4:24: the file ends inside record 3 (which starts at line 4) of the array at `/data/items` (line 1); it is incomplete (an interrupted export or copy?): produce the file again',
    );
    await expect(read).rejects.toMatchObject({ code: 'KOPPEL_JSON_FORMAT', line: 4, column: 24 });
    expect(seen).toEqual([2, 3]);
  });

  it('reports a syntax error with its column and a missing pointer', async () => {
    const bad = await openJsonSource({ path: fixture('invalid.jsonl'), displayPath: 'x.json' });
    await expect(collect(bad)).rejects.toThrow(
      'x.json:1: expected an array of records at `/`, got an object;',
    );
    const missing = await openJsonSource({
      path: fixture('items.json'),
      records: '/data/rows',
      displayPath: 'i.json',
    });
    await expect(collect(missing)).rejects.toThrow('i.json: no array at `/data/rows`; set `records`');
  });

  it('reads a file of many 64 KiB chunks (tokens split at chunk boundaries) as JSON.parse does, numbers exact', async () => {
    const rows = Array.from({ length: 6000 }, (_, i) => ({
      id: i + 1,
      naam: `Zoë Müller ${'é😀'.repeat(i % 7)} "${i}"`,
      bedrag: `${i}.${String(i % 100).padStart(2, '0')}`,
    }));
    const text = `{"rows": [\n${rows.map((r) => `  {"id": ${r.id}, "naam": ${JSON.stringify(r.naam)}, "bedrag": ${r.bedrag}}`).join(',\n')}\n]}\n`;
    expect(text.length).toBeGreaterThan(5 * 64 * 1024);
    const records = await collect(await openJsonSource({ path: file('many.json', text), records: '/rows' }));
    expect(records.map((r) => r.origin.line)).toEqual(rows.map((_, i) => i + 2));
    expect(records.map((r) => plain(r).naam)).toEqual(rows.map((r) => r.naam));
    expect(records.map((r) => (r.fields.bedrag as JsonNumber).text)).toEqual(rows.map((r) => r.bedrag));
    expect(records.map((r) => Number((r.fields.bedrag as JsonNumber).text))).toEqual(
      (JSON.parse(text) as { rows: { bedrag: number }[] }).rows.map((r) => r.bedrag),
    );
  });

  it('refuses what is not strict JSON with file:line:col and what is wrong', async () => {
    const cases: [content: string, message: string][] = [
      [
        '[\n  {"id": 1},\n]\n',
        "t.json:3:1: invalid JSON: a trailing comma before ']' is not JSON; fix the file",
      ],
      ['[\n  {"id": 01}\n]\n', 't.json:2:11: invalid JSON: a number cannot have a leading zero;'],
      ['[{"id": 1, "naam": "\\uD83D"}]', 't.json:1:21: invalid JSON: lone surrogate `\\uD83D` in a string'],
      ['[{"id": NaN}]', 't.json:1:9: invalid JSON: `NaN` is not a JSON value'],
      ['[{"id": 1}] x', 't.json:1:13: invalid JSON: unexpected text after the end of the JSON document;'],
    ];
    for (const [content, message] of cases) {
      const source = await openJsonSource({ path: file('t.json', content), displayPath: 't.json' });
      await expect(collect(source)).rejects.toMatchObject({
        code: 'KOPPEL_JSON_FORMAT',
        message: expect.stringContaining(message),
      });
    }
  });
});

describe('JSONL source', () => {
  it('reads one object per line with exact line numbers, skipping blank lines', async () => {
    const records = await collect(
      await openJsonlSource({ path: fixture('records.jsonl'), displayPath: 'r.jsonl' }),
    );
    expect(records.map((r) => [r.origin.line, r.origin.index])).toEqual([
      [1, 0],
      [3, 1],
      [4, 2],
    ]);
    expect(records[1]!.fields).toEqual(
      Object.assign(Object.create(null), {
        id: new JsonNumber('2'),
        amount: new JsonNumber('2.00'),
        name: 'Zoë',
      }),
    );
  });

  it('rejects an invalid line with file:line:col', async () => {
    const source = await openJsonlSource({ path: fixture('invalid.jsonl'), displayPath: 'bad.jsonl' });
    await expect(collect(source)).rejects.toThrow(
      'bad.jsonl:3:23: invalid JSON line: expected an object key; every line must be one complete JSON object (fix or remove the line)',
    );
  });
});
