import { describe, expect, it } from 'vitest';
import { mergeControlTotals } from './control-totals.js';

const total = (period: string, entries: number, [debit, credit]: [debit: string, credit: string]) => ({
  administration: '1',
  journal: '10',
  year: '2024',
  period,
  entries,
  debit,
  credit,
});

describe('mergeControlTotals', () => {
  it('adds entries and amounts per administration, journal, year and period, exactly, sorted', () => {
    expect(
      mergeControlTotals([
        [total('10', 1, ['0.10', '0.20']), total('2', 2, ['100.05', '100.05'])],
        [total('2', 3, ['0.20', '-0.30']), total('10', 1, ['1.00', '0.00'])],
        [],
      ]),
    ).toEqual([total('2', 5, ['100.25', '99.75']), total('10', 2, ['1.10', '0.20'])]);
  });

  it('keeps negative sums and returns nothing for nothing', () => {
    expect(
      mergeControlTotals([[total('1', 1, ['-0.05', '0.00'])], [total('1', 1, ['-1.10', '0.00'])]]),
    ).toEqual([total('1', 2, ['-1.15', '0.00'])]);
    expect(mergeControlTotals([])).toEqual([]);
  });
});
