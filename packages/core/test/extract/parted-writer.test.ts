import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openExtractWriter } from '../../src/extract/extract-writer.js';
import { extractRowFormatter, openPartedWriter } from '../../src/extract/parted-writer.js';
import { type FieldValue, JsonNumber } from '../../src/record.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'koppel-parted-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rows: FieldValue[][] = Array.from({ length: 9 }, (_, i) => [
  new JsonNumber(String(i + 1)),
  i % 3 === 0 ? 'with, comma "quoted"\nline' : `name ${i}`,
  i % 2 === 0 ? null : true,
]);

describe('openPartedWriter', () => {
  it.each(['csv', 'jsonl', 'json'] as const)(
    'parts written out of order join in part order, byte for byte as the plain %s writer',
    async (format) => {
      const columns = ['Id', 'Name', '__proto__'];
      const plain = await openExtractWriter({ path: join(dir, `plain.${format}`), columns, bom: true });
      for (const row of rows) await plain.writeValues(row);
      await plain.close();
      const parted = await openPartedWriter({
        path: join(dir, `out/parted.${format}`),
        columns,
        parts: 3,
        bom: true,
      });
      // Part 2 first, then 0, then 1: the order of writing does not matter, the part index does.
      for (const index of [2, 0, 1]) {
        for (const row of rows.slice(index * 3, index * 3 + 3)) await parted.part(index).writeValues(row);
      }
      expect(parted.count).toBe(9);
      await parted.close();
      expect(await readFile(join(dir, `out/parted.${format}`))).toEqual(
        await readFile(join(dir, `plain.${format}`)),
      );
      expect(await readdir(join(dir, 'out'))).toEqual([`parted.${format}`]);
    },
  );

  it.each(['csv', 'jsonl', 'json'] as const)(
    'pages formatted by extractRowFormatter and written as text give the bytes of writeValues (%s)',
    async (format) => {
      const columns = ['Id', 'Name', 'Flag'];
      const byValues = await openPartedWriter({ path: join(dir, `values.${format}`), columns, parts: 2 });
      const byText = await openPartedWriter({ path: join(dir, `text.${format}`), columns, parts: 2 });
      const formatRow = extractRowFormatter({ format, columns });
      for (const index of [0, 1]) {
        const page = rows.slice(index * 4, index * 4 + 5 - index);
        for (const row of page) await byValues.part(index).writeValues(row);
        // A plain number is written as the JsonNumber of its String().
        const cells = page.map((row) => [Number((row[0] as JsonNumber).text) + 0.5, ...row.slice(1)]);
        await byText.part(index).writeText(page.map((row) => formatRow(row)).join(''), page.length);
        expect(cells.map((cell) => formatRow(cell))).toEqual(
          cells.map((cell) => formatRow([new JsonNumber(String(cell[0])), ...cell.slice(1)])),
        );
      }
      expect(byText.count).toBe(byValues.count);
      await Promise.all([byValues.close(), byText.close()]);
      expect(await readFile(join(dir, `text.${format}`))).toEqual(
        await readFile(join(dir, `values.${format}`)),
      );
    },
  );

  it('an empty JSON file is [], and abort leaves nothing behind', async () => {
    const empty = await openPartedWriter({ path: join(dir, 'e.json'), columns: ['A'], parts: 2 });
    await empty.close();
    expect(await readFile(join(dir, 'e.json'), 'utf8')).toBe('[]\n');
    const aborted = await openPartedWriter({ path: join(dir, 'a.csv'), columns: ['A'], parts: 2 });
    await aborted.part(1).writeValues(['x']);
    await aborted.abort();
    expect(await readdir(dir)).toEqual(['e.json']);
  });
});
