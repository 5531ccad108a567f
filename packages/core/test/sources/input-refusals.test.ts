import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCsvSource } from '../../src/sources/csv-source.js';
import { openJsonSource } from '../../src/sources/json-source.js';
import { openJsonlSource } from '../../src/sources/jsonl-source.js';
import { collect } from './fixture-path.js';

const dir = mkdtempSync(join(tmpdir(), 'koppel-refusals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe('input refusals in every source format', () => {
  it('JSON and JSONL: a control character written as an escape is refused with line:col', async () => {
    const json = file('a.json', '[\n  {"id": 1, "naam": "ok"},\n  {"id": 2, "naam": "a\\u0000b"}\n]\n');
    await expect(collect(await openJsonSource({ path: json, displayPath: 'a.json' }))).rejects.toMatchObject({
      code: 'KOPPEL_CONTROL_CHARACTER',
      line: 3,
      column: 23,
      message: expect.stringContaining('a.json:3:23: a NUL character (\\u0000) in a JSON string'),
    });
    const jsonl = file('a.jsonl', '{"id": 1}\n{"id": 2, "x": "\\f"}\n');
    await expect(
      collect(await openJsonlSource({ path: jsonl, displayPath: 'a.jsonl' })),
    ).rejects.toMatchObject({
      code: 'KOPPEL_CONTROL_CHARACTER',
      line: 2,
      column: 17,
    });
    // tab, CR and LF escapes are text
    const fine = file('b.jsonl', '{"id": 1, "x": "a\\tb\\r\\nc"}\n');
    expect((await collect(await openJsonlSource({ path: fine })))[0]!.fields.x).toBe('a\tb\r\nc');
  });

  it('a raw NUL anywhere is refused when the source is opened, before any record', async () => {
    const csv = file('nul.csv', 'id;naam\n1;a\0b\n');
    await expect(openCsvSource({ path: csv, displayPath: 'nul.csv' })).rejects.toMatchObject({
      code: 'KOPPEL_CONTROL_CHARACTER',
      line: 2,
      column: 4,
      byteOffset: 11,
    });
  });

  it('no records is an error unless allowEmpty: header-only CSV, [], blank JSONL', async () => {
    const header = file('h.csv', 'id;naam\n');
    await expect(collect(await openCsvSource({ path: header, displayPath: 'h.csv' }))).rejects.toThrow(
      'h.csv: no records (only a header); nothing to do, so nothing was sent. Check the export that wrote it, or set `source.csv.allow_empty: true` when an empty input is fine',
    );
    expect(await collect(await openCsvSource({ path: header, allowEmpty: true }))).toEqual([]);
    const array = file('e.json', '[]\n');
    await expect(collect(await openJsonSource({ path: array, displayPath: 'e.json' }))).rejects.toMatchObject(
      {
        code: 'KOPPEL_EMPTY_INPUT',
        message: expect.stringContaining('`source.json.allow_empty: true`'),
      },
    );
    const blank = file('e.jsonl', '\n\n');
    await expect(collect(await openJsonlSource({ path: blank }))).rejects.toMatchObject({
      code: 'KOPPEL_EMPTY_INPUT',
    });
    await expect(openJsonlSource({ path: file('z.jsonl', '') })).rejects.toMatchObject({
      code: 'KOPPEL_EMPTY_INPUT',
    });
    expect(await collect(await openJsonlSource({ path: file('z2.jsonl', ''), allowEmpty: true }))).toEqual(
      [],
    );
  });

  it('invalid_bytes: replace needs a declared encoding', async () => {
    await expect(
      openCsvSource({ path: file('r.csv', 'a\n1\n'), invalidBytes: 'replace' }),
    ).rejects.toMatchObject({
      code: 'KOPPEL_SOURCE_OPTIONS',
    });
  });
});
