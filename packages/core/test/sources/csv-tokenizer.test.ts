import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../src/record.js';
import { resolveCsvOptions } from '../../src/sources/csv-options.js';
import { sniffCsv } from '../../src/sources/csv-sniff.js';
import { type CsvEngine, readCsvRecords } from '../../src/sources/csv-source.js';
import { type CsvRows, CsvTokenizer, tokenizerCovers } from '../../src/sources/csv-tokenizer.js';
import { seededRandom as random } from './seeded-random.js';

interface Shape {
  delimiter: string;
  quote: string;
  /** Chance of a syntax mistake per field (stray quote, text after a closing quote, NUL...). */
  mistakes: number;
}

/** A random CSV text: quoted and unquoted fields, embedded delimiters and breaks, mixed line ends. */
function randomCsv(next: () => number, shape: Shape, records: number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const { delimiter: d, quote: q } = shape;
  const endings = pick([['\n'], ['\r\n'], ['\r'], ['\n', '\r\n'], ['\r\n', '\n', '\r']]);
  const pieces = ['a', 'bc', 'é', '😀', ' ', '0,5', '€', 'x y'];
  const inside = [...pieces, d, '\n', '\r\n', '\r', `${q}${q}`];
  const mistakes = [`a${q}b`, `${q}a${q}b`, `${q}a`, `${q}a${q}\0b`, `${q}${q}\0`, `${q}a${q}\r`, '\0'];
  const width = 1 + Math.floor(next() * 4);
  let text = '';
  for (let r = 0; r < records; r++) {
    if (next() < 0.08) {
      text += pick(endings);
      continue;
    }
    const fields: string[] = [];
    const count = next() < 0.85 ? width : 1 + Math.floor(next() * 5);
    for (let f = 0; f < count; f++) {
      const roll = next();
      if (roll < shape.mistakes) fields.push(pick(mistakes));
      else if (q !== '' && roll < 0.45) {
        let body = '';
        for (let k = Math.floor(next() * 4); k > 0; k--) body += pick(inside);
        fields.push(`${q}${body}${q}`);
      } else {
        let body = '';
        for (let k = Math.floor(next() * 3); k > 0; k--) body += pick(pieces);
        fields.push(body);
      }
    }
    text += fields.join(d);
    if (r < records - 1 || next() < 0.5) text += pick(endings);
  }
  // An unclosed quote at the end, with breaks in it.
  if (q !== '' && next() < shape.mistakes * 3) text += `${q}a${pick(inside)}${pick(endings)}`;
  return text;
}

const splitsPair = (text: string, at: number): boolean => {
  const c = text.charCodeAt(at - 1);
  return c >= 0xd800 && c <= 0xdbff;
};

interface Outcome {
  records: string[][];
  error?: { code: string; lines: unknown };
}

/** What csv-parse gives, with the options the CSV source passes it (on_record sees records before an error). */
function viaCsvParse(text: string, shape: Shape, maxRecordSize: number): Outcome {
  const records: string[][] = [];
  try {
    parse(Buffer.from(text), {
      delimiter: shape.delimiter,
      quote: shape.quote === '' ? false : shape.quote,
      escape: shape.quote === '' ? null : shape.quote,
      relax_column_count: true,
      max_record_size: maxRecordSize,
      on_record: (record: string[]) => {
        records.push(record);
        return record;
      },
    });
  } catch (error) {
    const e = error as { code: string; lines: unknown };
    return { records, error: { code: e.code, lines: e.lines } };
  }
  return { records };
}

function viaTokenizer(chunks: readonly string[], shape: Shape, maxRecordSize: number): Outcome {
  const tokenizer = new CsvTokenizer({ ...shape, maxRecordSize, breakChar: '\n' });
  const rows: CsvRows = { cells: [], breaks: [] };
  for (const chunk of chunks) tokenizer.push(chunk, rows);
  tokenizer.end(rows);
  const failure = tokenizer.failure;
  return failure
    ? { records: rows.cells, error: { code: failure.code, lines: failure.lines } }
    : { records: rows.cells };
}

const shapes: Shape[] = [
  { delimiter: ';', quote: '"', mistakes: 0 },
  { delimiter: ',', quote: '"', mistakes: 0.04 },
  { delimiter: '\t', quote: "'", mistakes: 0.04 },
  { delimiter: '|', quote: '', mistakes: 0.04 },
];

describe('CsvTokenizer against csv-parse', () => {
  it('gives the same records and errors on random texts split at every offset', () => {
    let cases = 0;
    const codes = new Map<string, number>();
    for (let seed = 1; seed <= 1500; seed++) {
      const next = random(seed);
      const shape = shapes[seed % shapes.length]!;
      const text = randomCsv(next, shape, 1 + Math.floor(next() * 5));
      const maxRecordSize = next() < 0.3 ? 2 + Math.floor(next() * 12) : 1000;
      const expected = viaCsvParse(text, shape, maxRecordSize);
      if (expected.error) codes.set(expected.error.code, (codes.get(expected.error.code) ?? 0) + 1);
      const context = { seed, text, maxRecordSize };
      expect({ ...context, ...viaTokenizer([text], shape, maxRecordSize) }).toEqual({
        ...context,
        ...expected,
      });
      if (text.length > 60) continue;
      for (let at = 0; at <= text.length; at++) {
        if (splitsPair(text, at)) continue; // decoded chunks never end inside a surrogate pair
        const split = viaTokenizer([text.slice(0, at), text.slice(at)], shape, maxRecordSize);
        expect({ ...context, at, ...split }).toEqual({ ...context, at, ...expected });
        cases++;
      }
      expect({ ...context, ...viaTokenizer([...text], shape, maxRecordSize) }).toEqual({
        ...context,
        ...expected,
      });
    }
    // The generator must reach both outcomes often, or the comparison proves little.
    for (const code of [
      'CSV_QUOTE_NOT_CLOSED',
      'CSV_INVALID_CLOSING_QUOTE',
      'INVALID_OPENING_QUOTE',
      'CSV_MAX_RECORD_SIZE',
    ]) {
      expect(codes.get(code) ?? 0, code).toBeGreaterThan(20);
    }
    expect(cases).toBeGreaterThan(20_000);
  });

  it('gives the same records on larger texts in random chunks', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const next = random(seed * 7919);
      const shape = { ...shapes[seed % shapes.length]!, mistakes: seed % 3 === 0 ? 0.002 : 0 };
      const text = randomCsv(next, shape, 300);
      const chunks: string[] = [];
      for (let at = 0; at < text.length; ) {
        let size = 1 + Math.floor(next() * 64);
        if (splitsPair(text, at + size)) size++;
        chunks.push(text.slice(at, at + size));
        at += size;
      }
      const expected = viaCsvParse(text, shape, 4096);
      expect({ seed, ...viaTokenizer(chunks, shape, 4096) }).toEqual({ seed, ...expected });
    }
  });

  it('covers the plain dialects only', () => {
    const plain = { delimiter: ';', quote: '"', escape: '"', comment: '', trim: false, relaxQuotes: false };
    expect(tokenizerCovers(plain)).toBe(true);
    expect(tokenizerCovers({ ...plain, quote: '', escape: '' })).toBe(true);
    expect(tokenizerCovers({ ...plain, delimiter: '::' })).toBe(false);
    expect(tokenizerCovers({ ...plain, escape: '\\' })).toBe(false);
    expect(tokenizerCovers({ ...plain, comment: '#' })).toBe(false);
    expect(tokenizerCovers({ ...plain, trim: true })).toBe(false);
    expect(tokenizerCovers({ ...plain, relaxQuotes: true })).toBe(false);
  });
});

const dir = mkdtempSync(join(tmpdir(), 'koppel-tokenizer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Read {
  records: SourceRecord[];
  error?: { message: string; line: unknown; code: unknown };
}

async function read(path: string, options: object, engine: CsvEngine): Promise<Read> {
  const resolved = resolveCsvOptions({ path, displayPath: 'in.csv', ...options });
  const records: SourceRecord[] = [];
  try {
    const sniff = await sniffCsv(resolved);
    for await (const record of readCsvRecords(resolved, sniff, engine)) records.push(record);
  } catch (error) {
    const e = error as { message: string; line: unknown; code: unknown };
    return { records, error: { message: e.message, line: e.line, code: e.code } };
  }
  return { records };
}

describe('CSV source: tokenizer and csv-parse engines', () => {
  it('read the same records, origins and errors from random files', async () => {
    let errors = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const next = random(seed * 104729);
      const shape = shapes[seed % shapes.length]!;
      const header = ['k', 'v', 'w', 'x'].slice(0, 1 + (seed % 4)).join(shape.delimiter);
      const preamble = seed % 5 === 0 ? 'title line\n' : '';
      const body = randomCsv(next, shape, 2 + Math.floor(next() * 12));
      const bom = seed % 7 === 0 ? '\uFEFF' : '';
      const path = join(dir, `random-${seed}.csv`);
      const ending = ['\n', '\r\n', '\r'][seed % 3];
      writeFileSync(path, `${bom}${preamble}${header}${ending}${body}`);
      const options = {
        delimiter: shape.delimiter,
        quote: shape.quote,
        skipLines: preamble ? 1 : 0,
        ragged: 'truncate',
        ...(seed % 3 === 0 ? { nullStrings: ['', 'a'] } : {}),
      };
      const fast = await read(path, options, 'auto');
      const slow = await read(path, options, 'csv-parse');
      if (slow.error) errors++;
      expect({ seed, error: fast.error }).toEqual({ seed, error: slow.error });
      // csv-parse may drop the records it parsed just before an error; never the others.
      const records = slow.error ? fast.records.slice(0, slow.records.length) : fast.records;
      expect({ seed, records }).toEqual({ seed, records: slow.records });
    }
    expect(errors).toBeGreaterThan(40);
  });

  it('read the same ragged-row and over-long-field errors', async () => {
    const path = join(dir, 'rows.csv');
    writeFileSync(path, 'a;b\r\n1;"x\r\ny"\r\n"2";3;4\r\n5;666666\r\n');
    for (const options of [{}, { ragged: 'pad' }, { ragged: 'truncate', maxFieldSize: 5 }]) {
      const fast = await read(path, options, 'auto');
      const slow = await read(path, options, 'csv-parse');
      expect(fast.error?.message).toMatch(/^in\.csv:[45]: /);
      expect(fast).toEqual(slow);
    }
  });
});
