import { describe, expect, it } from 'vitest';
import type { MappedItem } from '../../src/pipeline/document.js';
import { mapRecords } from '../../src/plan/map-records.js';
import { planJob } from '../../src/plan/plan-job.js';
import {
  checkedItems,
  formatPreflight,
  PreflightError,
  preflight,
  preflightPasses,
  problemKind,
} from '../../src/plan/preflight.js';
import type { SourceRecord } from '../../src/record.js';
import { compileText, jobText, rec } from '../mapping/helpers.js';
import { recordedMetainfo } from '../mapping/recorded-metainfo.js';

const persons = () =>
  compileText(
    jobText(`  update_connector: KnPerson
  element:
    fields: { BcCo: id, LaNm: name, ViGe: { column: gender, codes: { m: M, f: V } }, DaBi: { column: born, date: dd-MM-yyyy } }`),
    recordedMetainfo('KnPerson', 'nl-nl'),
  );

const person = (id: string, line: number, extra: Record<string, string> = {}): SourceRecord =>
  rec({ id, name: `N${id}`, gender: 'm', born: '01-02-1990', ...extra }, line);

const outcome = (item: MappedItem): string =>
  'document' in item ? `doc ${item.document.key}` : `reject ${item.reject.key}: ${item.reject.message}`;

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('the mapping stage (plan, test, pre-flight and run)', () => {
  it('rejects a repeated key under "KEY (line N)", naming the first line; the first stays a document', async () => {
    const items = await collect(
      mapRecords(persons(), [person('P1', 2), person('P2', 3), person('P1', 4), person('P1', 5)]),
    );
    expect(items.map(outcome)).toEqual([
      'doc P1',
      'doc P2',
      'reject P1 (line 4): duplicate key `P1`: first seen at line 2; keys must be unique in an input',
      'reject P1 (line 5): duplicate key `P1`: first seen at line 2; keys must be unique in an input',
    ]);
  });

  it('counts a rejected record as seen: a later record with its key is a duplicate', async () => {
    const items = await collect(mapRecords(persons(), [person('P1', 2, { gender: 'x' }), person('P1', 3)]));
    expect(items.map(outcome)[1]).toBe(
      'reject P1 (line 3): duplicate key `P1`: first seen at line 2; keys must be unique in an input',
    );
  });

  it('plan gives the same rejects as the run stage, in input order', async () => {
    const records = [
      person('P1', 2),
      person('P2', 3, { born: '31-02-1990' }),
      person('P1', 4),
      person('P3', 5, { gender: 'q' }),
    ];
    const mapped = (await collect(mapRecords(persons(), records))).filter((item) => 'reject' in item);
    const planned = (await collect(planJob(persons(), records))).filter((entry) => 'reject' in entry);
    expect(planned).toEqual(mapped);
    expect(planned).toHaveLength(3);
  });

  it('the pre-flight counts per kind, keeps a bounded sample and does not pass with stop', async () => {
    const records = Array.from({ length: 2000 }, (_, i) => person(`P${i}`, i + 2));
    records.push(...Array.from({ length: 10 }, (_, i) => person(`P${i}`, 2002 + i)));
    records.push(person('Q1', 2012, { gender: 'z' }));
    const summary = await preflight(persons(), records);
    expect(summary).toMatchObject({ records: 2011, documents: 2000, rejected: 11 });
    expect(summary.problems['duplicate-key']?.count).toBe(10);
    expect(summary.problems['duplicate-key']?.samples).toHaveLength(3);
    expect(summary.problems['unknown-code']?.count).toBe(1);
    expect(preflightPasses(summary, 'stop')).toBe(false);
    expect(preflightPasses(summary, 'reject')).toBe(true);
    const text = formatPreflight(summary, { job: 'p.yaml', input: 'in.csv', onInvalid: 'stop' });
    expect(text.split('\n')[0]).toBe(
      'pre-flight: 11 of 2011 document(s) in in.csv are invalid; nothing was sent',
    );
    expect(text).toContain('  10 × duplicate keys:');
    expect(text).toContain('      … and 7 more');
    expect(text).toContain('set `run: { on_invalid: reject }` in p.yaml');
  });

  it('an input that fails to read is fatal even with reject, and names where', async () => {
    async function* broken(): AsyncGenerator<SourceRecord> {
      yield person('P1', 2);
      throw Object.assign(new Error('in.csv:3:7: invalid UTF-8 byte 0xff'), {
        code: 'KOPPEL_INVALID_ENCODING',
      });
    }
    const summary = await preflight(persons(), broken());
    expect(summary.fatal).toBe('in.csv:3:7: invalid UTF-8 byte 0xff');
    expect(summary.problems.unreadable?.samples).toEqual(['in.csv:3:7: invalid UTF-8 byte 0xff']);
    expect(preflightPasses(summary, 'reject')).toBe(false);
  });

  it('checkedItems yields nothing when the pre-flight stops, and every item with reject', async () => {
    const records = [person('P1', 2), person('P1', 3)];
    let opened = 0;
    const options = {
      compiled: persons(),
      open: async () => {
        opened++;
        return records;
      },
      job: 'p.yaml',
      input: 'in.csv',
    };
    const seen: MappedItem[] = [];
    const stopped = (async () => {
      for await (const item of checkedItems({ ...options, onInvalid: 'stop' })) seen.push(item);
    })();
    await expect(stopped).rejects.toBeInstanceOf(PreflightError);
    expect(seen).toEqual([]);
    expect(opened).toBe(1);
    const all = await collect(checkedItems({ ...options, onInvalid: 'reject' }));
    expect(all.map(outcome)).toEqual([
      'doc P1',
      'reject P1 (line 3): duplicate key `P1`: first seen at line 2; keys must be unique in an input',
    ]);
  });

  it('classifies the sentences of the mapping stage', () => {
    expect(problemKind('in.csv:4-6: record 7: entry is not balanced: debit 1 != credit 2')).toBe(
      'unbalanced',
    );
    expect(
      problemKind('record P1: Geboortedatum (DaBi): expected a valid date like 31-12-2024, got "x"'),
    ).toBe('bad-date');
    expect(
      problemKind('record 7: group entry = 7 reappears at in.csv:9 after its rows at line 3 ended'),
    ).toBe('group-reappears');
    expect(problemKind('in.csv:3: the key template `{id}` gives an empty key')).toBe('empty-key');
  });
});
