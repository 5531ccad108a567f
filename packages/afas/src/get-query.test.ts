import { describe, expect, it } from 'vitest';
import type { WireFilter } from './filter.js';
import { buildGetQuery, filterJson, MAX_QUERY_LENGTH, planFilter } from './get-query.js';

const c = (field: string, operator: number, value: string) => ({ field, operator, value });

describe('buildGetQuery', () => {
  it.each([
    [{}, ''],
    [{ skip: 0, take: 100 }, '?skip=0&take=100'],
    [{ skip: -1, take: -1 }, '?skip=-1&take=-1'],
    [{ orderBy: ['AdminId', '-AdminNm'] }, '?orderbyfieldids=AdminId,-AdminNm'],
    [
      { filter: [[c('A', 1, '1'), c('B', 6, 'x y')], [c('C', 1, 'é')]] },
      '?filterfieldids=A,B;C&filtervalues=1,x%20y;%C3%A9&operatortypes=1,6;1',
    ],
    [{ filter: [[c('D', 8, '')]] }, '?filterfieldids=D&filtervalues=&operatortypes=8'],
  ])('%j', (query, expected) => {
    expect(buildGetQuery(query)).toBe(expected);
  });

  it('uses filterjson when a value contains , or ;', () => {
    const filter: WireFilter = [[c('Name', 6, 'Jansen, J.')], [c('Name', 1, 'a;b')]];
    const query = buildGetQuery({ filter, take: 10 });
    expect(query.startsWith('?take=10&filterjson=')).toBe(true);
    const json = JSON.parse(decodeURIComponent(query.slice('?take=10&filterjson='.length)));
    expect(json).toEqual({
      Filters: {
        Filter: [
          {
            '@FilterId': 'Filter 1',
            Field: [{ '@FieldId': 'Name', '@OperatorType': '6', '#text': 'Jansen, J.' }],
          },
          { '@FilterId': 'Filter 2', Field: [{ '@FieldId': 'Name', '@OperatorType': '1', '#text': 'a;b' }] },
        ],
      },
    });
  });

  it('refuses the simple syntax for a value with a separator', () => {
    expect(() => buildGetQuery({ filter: [[c('A', 1, 'a,b')]], mode: 'simple' })).toThrow(
      /without "," or ";"/,
    );
  });

  it('encodes filterjson exactly once', () => {
    expect(buildGetQuery({ filter: [[c('A', 1, '%')]], mode: 'json' })).toBe(
      `?filterjson=${encodeURIComponent(filterJson([[c('A', 1, '%')]]))}`,
    );
  });
});

describe('planFilter', () => {
  const manyGroups = (n: number, value = (i: number) => `V${String(i).padStart(5, '0')}`) =>
    Array.from({ length: n }, (_, i) => [c('Code', 1, value(i))]);

  it('keeps a short filter in one simple request', () => {
    expect(planFilter(manyGroups(3))).toEqual({ parts: [{ filter: manyGroups(3), mode: 'simple' }] });
  });

  it('splits an OR list that is too long into requests that each fit, covering every group once', () => {
    const filter = manyGroups(400);
    const plan = planFilter(filter, { orderBy: ['Code'] });
    expect(plan.parts.length).toBeGreaterThan(1);
    expect(plan.parts.flatMap((p) => p.filter)).toEqual(filter);
    for (const part of plan.parts) {
      expect(
        buildGetQuery({ ...part, orderBy: ['Code'], skip: 9_999_999, take: 9_999_999 }).length,
      ).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
    }
  });

  it('uses filterjson for values with separators, and splits it when even that is too long', () => {
    const commas: WireFilter = [[c('F', 1, 'a,b')]];
    expect(planFilter(commas).parts).toEqual([{ filter: commas, mode: 'json' }]);
    const filter = manyGroups(100, (i) => `Jansen, ${i}`);
    const plan = planFilter(filter, { orderBy: ['Code'] });
    expect(plan.parts.length).toBeGreaterThan(1);
    expect(plan.parts.every((p) => p.mode === 'json')).toBe(true);
    expect(plan.parts.flatMap((p) => p.filter)).toEqual(filter);
  });

  it('picks the simple syntax again for split parts without separators', () => {
    const filter = [...manyGroups(300), [c('Code', 1, 'x;y')]];
    const plan = planFilter(filter);
    expect(plan.parts.map((p) => p.mode)).toEqual([...plan.parts.slice(0, -1).map(() => 'simple'), 'json']);
  });

  it('throws for a single AND group that cannot fit', () => {
    const filter: WireFilter = [[c('A', 1, 'x'.repeat(1500)), c('B', 1, 'y'.repeat(1500))]];
    expect(() => planFilter(filter)).toThrow(
      /Expected every AND group of the filter to fit in the 2049-character query string, got a group of 2 conditions/,
    );
  });
});
