import { describe, expect, it } from 'vitest';
import { FilterBuilder, filterValueText, operatorNumber, toWireFilter, where } from './filter.js';

describe('operatorNumber', () => {
  it.each([
    ['eq', 1],
    ['gte', 2],
    ['lte', 3],
    ['gt', 4],
    ['lt', 5],
    ['contains', 6],
    ['neq', 7],
    ['empty', 8],
    ['notEmpty', 9],
    ['startsWith', 10],
    ['notContains', 11],
    ['notStartsWith', 12],
    ['endsWith', 13],
    ['notEndsWith', 14],
    ['quick', 15],
    ['=', 1],
    ['>=', 2],
    ['<=', 3],
    ['>', 4],
    ['<', 5],
    ['!=', 7],
    ['<>', 7],
    [6, 6],
    ['15', 15],
  ] as const)('%s -> %d', (op, n) => {
    expect(operatorNumber(op as never)).toBe(n);
  });

  it.each([[0], [16], ['like'], [1.5]])('rejects %j', (op) => {
    expect(() => operatorNumber(op as never)).toThrow(/Expected a filter operator/);
  });
});

describe('filter builder', () => {
  it('ANDs within a group and ORs groups', () => {
    const filter = where('AdminId', 'eq', 1).and('AdminNm', 'contains', 'Internet').or('AdminId', '=', 3);
    expect(toWireFilter(filter)).toEqual([
      [
        { field: 'AdminId', operator: 1, value: '1' },
        { field: 'AdminNm', operator: 6, value: 'Internet' },
      ],
      [{ field: 'AdminId', operator: 1, value: '3' }],
    ]);
  });

  it('accepts plain groups and a single AND group', () => {
    expect(toWireFilter([{ field: 'A', op: 'empty' }])).toEqual([[{ field: 'A', operator: 8, value: '' }]]);
    expect(
      toWireFilter([[{ field: 'A', op: 'gt', value: 2 }], [{ field: 'B', op: 'lt', value: 1 }]]),
    ).toHaveLength(2);
    expect(toWireFilter(new FilterBuilder())).toEqual([]);
    expect(toWireFilter(undefined)).toEqual([]);
  });

  it('formats values: Dates as Amsterdam local time without Z, booleans as 1/0, null as empty', () => {
    expect(filterValueText(new Date('2024-07-01T10:00:00Z'))).toBe('2024-07-01T12:00:00');
    expect(filterValueText(true)).toBe('1');
    expect(filterValueText(false)).toBe('0');
    expect(filterValueText(null)).toBe('');
    expect(filterValueText(12.5)).toBe('12.5');
  });

  it('rejects a condition without a field', () => {
    expect(() => toWireFilter([{ field: '', op: 'eq', value: 1 }])).toThrow(/with a field name/);
  });
});
