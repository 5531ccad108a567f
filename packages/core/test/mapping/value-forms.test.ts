import { describe, expect, it } from 'vitest';
import { JsonNumber } from '../../src/record.js';
import { compileText, fieldsOf, jobText, mapAll, rec, rejectOf } from './helpers.js';

/** A KnSubject-shaped job compiled offline: no metainfo, so types come only from the job. */
const offline = (fields: string, options: { decimal?: string } = {}) =>
  compileText(jobText(`  update_connector: KnSubject\n  element:\n    fields:\n${fields}`, options));

describe('value forms', () => {
  it('bare string = column, numbers and booleans = constants', async () => {
    const job = offline('      Ds: description\n      StId: 7\n      St: false\n      SbTx: { const: vast }');
    const [item] = await mapAll(job, [rec({ id: '1', description: '  Brief  ' }, 2)]);
    expect(fieldsOf(item)).toEqual({ Ds: 'Brief', StId: '7', St: 'false', SbTx: 'vast' });
  });

  it('typed constants convert once at compile time', async () => {
    const job = offline('      StId: { const: 7, type: int }\n      St: { const: ja, type: boolean }');
    const [item] = await mapAll(job, [rec({ id: '1' }, 2)]);
    expect(fieldsOf(item)).toEqual({ StId: 7, St: true });
  });

  it('template fills columns; missing columns render empty', async () => {
    const job = offline('      Ds: { template: "{voucher} - {text}{nope}" }');
    const [item] = await mapAll(job, [rec({ id: '1', voucher: 'V1', text: 'Huur' }, 2)]);
    expect(fieldsOf(item)).toEqual({ Ds: 'V1 - Huur' });
  });

  it('expr evaluates JSONata over the record', async () => {
    const job = offline('      Ds: { expr: "$uppercase(name) & \'/\' & $string(qty * 2)" }');
    const [item] = await mapAll(job, [rec({ id: '1', name: 'bakker', qty: new JsonNumber('21') }, 2)]);
    expect(fieldsOf(item)).toEqual({ Ds: 'BAKKER/42' });
  });

  it('an expr that fails on one record rejects that record only, naming the expression', async () => {
    const job = offline('      Ds: { expr: "$substring(name, 0, 3)" }');
    const [bad, good] = await mapAll(job, [
      rec({ id: '1', name: null }, 2),
      rec({ id: '2', name: 'bakker' }, 3),
    ]);
    expect(rejectOf(bad)).toMatch(
      /^record 1: in\.csv:2: KnSubject\.Ds: expr `\$substring\(name, 0, 3\)` failed on this record at offset \d+: Argument 1 of function "substring" .*\(JSONata T0410\); guard the expression/,
    );
    expect(fieldsOf(good)).toEqual({ Ds: 'bak' });
  });

  it('trim is on by default and can be turned off', async () => {
    const job = offline('      Ds: { column: text, trim: false }\n      SbTx: text');
    const [item] = await mapAll(job, [rec({ id: '1', text: ' x ' }, 2)]);
    expect(fieldsOf(item)).toEqual({ Ds: ' x ', SbTx: 'x' });
  });

  it('default fills empty and missing values; empty values are left out otherwise', async () => {
    const job = offline('      Ds: { column: text, default: leeg }\n      SbTx: other');
    const [item] = await mapAll(job, [rec({ id: '1', text: '   ', other: null }, 2)]);
    expect(fieldsOf(item)).toEqual({ Ds: 'leeg' });
  });

  it('required rejects an empty value with the record key and line', async () => {
    const job = offline('      Ds: { column: text, required: true }');
    const [item] = await mapAll(job, [rec({ id: '42', text: '' }, 7)]);
    expect(rejectOf(item)).toBe('record 42: in.csv:7: KnSubject.Ds is required but empty');
  });

  it('reads nested JSON fields with a dotted column', async () => {
    const job = offline('      Ds: address.city');
    const [item] = await mapAll(job, [rec({ id: '1', address: { city: 'Leusden' } }, 2, 'in.json')]);
    expect(fieldsOf(item)).toEqual({ Ds: 'Leusden' });
  });

  it('rejects an object where a value is expected', async () => {
    const job = offline('      Ds: address');
    const [item] = await mapAll(job, [rec({ id: '1', address: { city: 'Leusden' } }, 2, 'in.json')]);
    expect(rejectOf(item)).toBe(
      'record 1: in.json:2: KnSubject.Ds: column `address` holds an object, not a value',
    );
  });
});

describe('types', () => {
  it('int: canonical numbers; a fraction is rejected', async () => {
    const job = offline('      StId: { column: n, type: int }');
    const items = await mapAll(job, [rec({ id: '1', n: '007' }, 2), rec({ id: '2', n: '1.5' }, 3)]);
    expect(fieldsOf(items[0])).toEqual({ StId: 7 });
    expect(rejectOf(items[1])).toBe('record 2: in.csv:3: KnSubject.StId: expected a whole number, got "1.5"');
  });

  it('decimal: exact strings, decimal comma with thousands, JSON numbers kept exact', async () => {
    const job = offline(
      '      A: { column: a, type: decimal, decimal: "," }\n      B: { column: b, type: decimal }',
    );
    const items = await mapAll(job, [
      rec({ id: '1', a: '1.234.567,89', b: new JsonNumber('0.1000000000000000055511151231257827') }, 2),
      rec({ id: '2', a: '1,234.56', b: '1' }, 3),
    ]);
    expect(fieldsOf(items[0])).toEqual({ A: '1234567.89', B: '0.1000000000000000055511151231257827' });
    expect(rejectOf(items[1])).toBe(
      'record 2: in.csv:3: KnSubject.A: expected a decimal with `,` as decimal mark (like 1234,56 or 1.234,56), got "1,234.56"',
    );
  });

  it('decimal: the source decimal mark is the default', async () => {
    const job = offline('      A: { column: a, type: decimal }', { decimal: ',' });
    const [item] = await mapAll(job, [rec({ id: '1', a: '-12,50' }, 2)]);
    expect(fieldsOf(item)).toEqual({ A: '-12.5' });
  });

  it('date and datetime with patterns', async () => {
    const job = offline(
      '      A: { column: a, type: date, date: dd-MM-yyyy }\n      B: { column: b, type: datetime, date: "d-M-yyyy H:mm" }\n      C: { column: c, type: date }',
    );
    const items = await mapAll(job, [
      rec({ id: '1', a: '29-02-2024', b: '1-3-2024 7:05', c: '2024-12-31' }, 2),
      rec({ id: '2', a: '30-02-2024' }, 3),
    ]);
    expect(fieldsOf(items[0])).toEqual({ A: '2024-02-29', B: '2024-03-01T07:05:00', C: '2024-12-31' });
    expect(rejectOf(items[1])).toBe(
      'record 2: in.csv:3: KnSubject.A: expected a valid date like dd-MM-yyyy, got "30-02-2024": February 2024 has no day 30 (it has 29 days)',
    );
  });

  it('boolean in Dutch and English spellings', async () => {
    const job = offline('      St: { column: s, type: boolean }');
    const words = ['ja', 'nee', 'waar', 'onwaar', 'J', 'n', 'true', 'false', 'yes', 'no', '1', '0', 'Y', 'N'];
    const items = await mapAll(job, [
      ...words.map((s, i) => rec({ id: String(i), s }, i + 2)),
      rec({ id: 'x', s: 'misschien' }, 99),
    ]);
    expect(items.slice(0, words.length).map((item) => fieldsOf(item).St)).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
      true,
      false,
      true,
      false,
      true,
      false,
      true,
      false,
    ]);
    expect(rejectOf(items[words.length])).toBe(
      'record x: in.csv:99: KnSubject.St: expected a boolean (true/false, ja/nee, j/n, waar/onwaar, yes/no, y/n, 1/0), got "misschien"',
    );
  });

  it('max_length rejects or truncates by characters without splitting graphemes', async () => {
    const job = offline(
      '      Ds: { column: t, max_length: 5 }\n      SbTx: { column: t, max_length: 5, on_overflow: truncate }',
    );
    const items = await mapAll(job, [rec({ id: '1', t: 'Café😀!' }, 2), rec({ id: '2', t: 'abcd😀' }, 3)]);
    expect(rejectOf(items[0])).toBe(
      'record 1: in.csv:2: KnSubject.Ds: "Café😀!" is 6 characters, at most 5 allowed; shorten it or set on_overflow: truncate',
    );
    expect(fieldsOf(items[1])).toEqual({ Ds: 'abcd😀', SbTx: 'abcd😀' });
    const combining = offline('      Ds: { column: t, max_length: 4, on_overflow: truncate }');
    const [cut] = await mapAll(combining, [rec({ id: '3', t: 'Cafe\u0301!' }, 4)]);
    expect(fieldsOf(cut)).toEqual({ Ds: 'Caf' });
  });

  it('reports every failing field of a record, not only the first', async () => {
    const job = offline('      A: { column: a, type: int }\n      B: { column: b, type: date }');
    const [item] = await mapAll(job, [rec({ id: '9', a: 'x', b: 'y' }, 5)]);
    expect(rejectOf(item)).toBe(
      'record 9: in.csv:5: KnSubject.A: expected a whole number, got "x"; in.csv:5: KnSubject.B: expected a valid date like yyyy-MM-dd, got "y"',
    );
  });
});
