import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCsvSource } from '../../src/sources/csv-source.js';
import { collect, fixture } from './fixture-path.js';

const dir = mkdtempSync(join(tmpdir(), 'koppel-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A >1 MB UTF-8 file (multi-byte characters throughout) with one Latin-1 `é` on line `badLine`. */
function largeFileWithInvalidByte(badLine: number): { path: string; byteOffset: number } {
  const parts: Buffer[] = [Buffer.from('id;naam;plaats\n')];
  let size = parts[0]!.length;
  let byteOffset = -1;
  for (let line = 2; size < 1_200_000 || line <= badLine; line++) {
    const part =
      line === badLine
        ? Buffer.concat([Buffer.from(`${line};Caf`), Buffer.from([0xe9]), Buffer.from(';Zoë\n')])
        : Buffer.from(`${line};Zoë Müller-Straße;Café 😀\n`);
    if (line === badLine) byteOffset = size + Buffer.byteLength(`${line};Caf`);
    parts.push(part);
    size += part.length;
  }
  const path = join(dir, `large-${badLine}.csv`);
  writeFileSync(path, Buffer.concat(parts));
  return { path, byteOffset };
}

describe('CSV errors', () => {
  it('rejects a ragged row with file:line, the expected columns and the policies', async () => {
    const source = await openCsvSource({ path: fixture('ragged.csv'), displayPath: 'data/ragged.csv' });
    await expect(collect(source)).rejects.toThrow(
      'data/ragged.csv:3: expected 3 fields (a, b, c), got 2; fix the row (a delimiter inside an unquoted value?) or set `ragged: pad` to read missing fields as empty (null)',
    );
    const padded = await openCsvSource({ path: fixture('ragged.csv'), ragged: 'pad', displayPath: 'r.csv' });
    await expect(collect(padded)).rejects.toThrow('r.csv:4: expected 3 fields (a, b, c), got 4;');
  });

  it('names the positions of duplicate and empty header names', async () => {
    await expect(
      openCsvSource({ path: fixture('duplicate-header.csv'), displayPath: 'd.csv' }),
    ).rejects.toThrow(
      'd.csv:1: invalid header: empty column name at column 3; duplicate column name `name` at columns 2, 4.',
    );
  });

  it('reports an unclosed quote with the line and what to do', async () => {
    const source = await openCsvSource({ path: fixture('unclosed-quote.csv'), displayPath: 'u.csv' });
    await expect(collect(source)).rejects.toThrow(
      'u.csv:3: a quote opened in this record is never closed (the file ends at line 4); close the quote',
    );
    await expect(collect(source)).rejects.toMatchObject({
      code: 'KOPPEL_CSV_FORMAT',
      file: 'u.csv',
      line: 3,
    });
  });

  it('rejects a field over max_field_size', async () => {
    const source = await openCsvSource({
      path: fixture('excel-bom.csv'),
      maxFieldSize: 10,
      displayPath: 'x.csv',
    });
    await expect(collect(source)).rejects.toThrow(
      'x.csv:3: field `Omschrijving` (column 2) is 11 characters, more than `max_field_size` 10;',
    );
  });

  it('reports a missing file as a typed error', async () => {
    await expect(openCsvSource({ path: join(dir, 'nope.csv'), displayPath: 'nope.csv' })).rejects.toThrow(
      'Cannot read nope.csv: no such file; check the source path (relative to the job file)',
    );
  });

  it('refuses a large UTF-8 file with one stray Latin-1 byte deep inside when it is opened, before any record', async () => {
    const { path, byteOffset } = largeFileWithInvalidByte(30_000);
    const opened = openCsvSource({ path, displayPath: 'big.csv' });
    await expect(opened).rejects.toThrow(
      `big.csv:30000:10: \`encoding: auto\` cannot decide: byte 0xE9 at byte offset ${byteOffset} is not valid UTF-8, but the file also has valid UTF-8 characters (the first at 2:5), so it is probably UTF-8 with a stray byte from another encoding. Candidates: utf-8, windows-1252. Fix the byte, or set \`encoding:\` to the file's real encoding; nothing was sent`,
    );
    await expect(opened).rejects.toMatchObject({
      code: 'KOPPEL_ENCODING_UNDECIDED',
      line: 30_000,
      column: 10,
      byteOffset,
    });
  });

  it('refuses the same byte under a declared utf-8 when the source is opened, with line:col and byte offset', async () => {
    const { path, byteOffset } = largeFileWithInvalidByte(30_000);
    const opened = openCsvSource({ path, displayPath: 'big.csv', encoding: 'utf-8' });
    await expect(opened).rejects.toThrow(
      `big.csv:30000:10: invalid UTF-8 at byte offset ${byteOffset} (bytes 0xE9 0x3B 0x5A 0x6F); the job declares \`encoding: utf-8\`, but this byte is not text in it.`,
    );
    await expect(opened).rejects.toMatchObject({
      code: 'KOPPEL_INVALID_ENCODING',
      line: 30_000,
      column: 10,
      byteOffset,
    });
  });

  it('reads the same large file with invalid_bytes: replace, never splitting a character across chunks', async () => {
    const { path } = largeFileWithInvalidByte(30_000);
    const records = await collect(await openCsvSource({ path, encoding: 'utf-8', invalidBytes: 'replace' }));
    const bad = records.find((r) => r.origin.line === 30_000)!;
    expect(bad.fields.naam).toBe('Caf\uFFFD');
    const others = records.filter((r) => r.origin.line !== 30_000);
    expect(others.every((r) => r.fields.naam === 'Zoë Müller-Straße' && r.fields.plaats === 'Café 😀')).toBe(
      true,
    );
    expect(records.at(-1)!.origin.index).toBe(records.length - 1);
  });

  it('rejects a quote inside an unquoted field unless relax_quotes is set', async () => {
    const path = join(dir, 'inch.csv');
    writeFileSync(path, 'id,item\n1,5" disk\n');
    await expect(collect(await openCsvSource({ path, displayPath: 'inch.csv' }))).rejects.toThrow(
      'inch.csv:2: a quote appears inside an unquoted field; quote the whole field or set `relax_quotes: true`',
    );
    const relaxed = await collect(await openCsvSource({ path, relaxQuotes: true }));
    expect(relaxed.map((r) => r.fields.item)).toEqual(['5" disk']);
  });
});
