import { describe, expect, it } from 'vitest';
import { ControlTotals } from '../../src/pipeline/control-totals.js';

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
});
