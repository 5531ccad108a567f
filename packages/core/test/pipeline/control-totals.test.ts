import { describe, expect, it } from 'vitest';
import { ControlTotals, reconcileTotals } from '../../src/pipeline/control-totals.js';

const entry = (period: number, lines: [string, string][], objectsAsArray = false) => {
  const element = { Element: lines.map(([AmDe, AmCr]) => ({ Fields: { AmDe, AmCr } })) };
  return {
    Fields: { Year: 2024, Peri: period, UnId: 1, JoCo: '20' },
    Objects: objectsAsArray ? [{ FiEntries: element }] : { FiEntries: element },
  };
};

describe('ControlTotals', () => {
  it('sums debit and credit per administration, journal and period in exact decimals', () => {
    const totals = new ControlTotals();
    totals.add(
      entry(1, [
        ['0.1', '0'],
        ['0.2', '0'],
        ['0', '0.3'],
      ]),
    );
    totals.add(
      entry(
        1,
        [
          ['1210.00', '0'],
          ['0', '1210'],
        ],
        true,
      ),
    );
    totals.add(
      entry(2, [
        ['5', '0'],
        ['0', '5'],
      ]),
    );
    totals.add({ Fields: { BcCo: 'P1', LaNm: 'Jansen' } });
    expect(totals.list()).toEqual([
      {
        administration: '1',
        journal: '20',
        year: '2024',
        period: '1',
        entries: 2,
        debit: '1210.30',
        credit: '1210.30',
      },
      {
        administration: '1',
        journal: '20',
        year: '2024',
        period: '2',
        entries: 1,
        debit: '5.00',
        credit: '5.00',
      },
    ]);
  });

  it('reads a primary-key field sent as an @ attribute (Year in Profit metainfo)', () => {
    const totals = new ControlTotals();
    const { Fields, Objects } = entry(2, [
      ['5', '0'],
      ['0', '5'],
    ]);
    const { Year: _year, ...rest } = Fields;
    totals.add({ '@Year': 2024, Fields: rest, Objects });
    expect(totals.list()[0]).toMatchObject({ year: '2024', period: '2', entries: 1, debit: '5.00' });
  });
});

describe('reconcileTotals', () => {
  const total = (period: string, entries: number, debit: string) => ({
    administration: '1',
    journal: '20',
    year: '2024',
    period,
    entries,
    debit,
    credit: debit,
  });
  it('holds per group when the parts add up to what was read, exactly', () => {
    const groups = reconcileTotals(
      [total('1', 3, '0.30'), total('2', 1, '10.00')],
      [[total('1', 2, '0.10')], [total('1', 1, '0.20'), total('2', 1, '10')]],
    );
    expect(groups.map((g) => [g.period, g.holds])).toEqual([
      ['1', true],
      ['2', true],
    ]);
  });
  it('names a group whose parts do not add up, and a group only one side has', () => {
    const groups = reconcileTotals([total('1', 2, '0.30')], [[total('1', 2, '0.29')], [total('3', 1, '1')]]);
    expect(groups.map((g) => [g.period, g.holds])).toEqual([
      ['1', false],
      ['3', false],
    ]);
    expect(groups[0]?.accounted).toEqual({ entries: 2, debit: '0.29', credit: '0.29' });
  });
});
