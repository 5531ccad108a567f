import { describe, expect, it } from 'vitest';
import { compareDecimals, isDecimal, normalizeDecimal, sumDecimals } from './decimal.js';

describe('exact decimals', () => {
  it('sums without float drift', () => {
    expect(sumDecimals(['0.1', '0.2'])).toBe('0.3');
    expect(compareDecimals(sumDecimals(['0.1', '0.2']), '0.3')).toBe(0);
    expect(sumDecimals(Array.from({ length: 10 }, () => '0.1'))).toBe('1.0');
    expect(sumDecimals(['12100', '-0.005', '0.005'])).toBe('12100.000');
    expect(sumDecimals(['99999999999999999.99', '0.01'])).toBe('100000000000000000.00');
    expect(sumDecimals([])).toBe('0');
  });

  it('compares', () => {
    expect(compareDecimals('0.30', '0.3')).toBe(0);
    expect(compareDecimals('-1', '0')).toBe(-1);
    expect(compareDecimals('0.31', '0.3')).toBe(1);
  });

  it('recognises and normalises decimal texts', () => {
    expect(['1', '-0.5', '.5', '12.', '+3'].map(isDecimal)).toEqual([true, true, true, true, true]);
    expect(['', '.', '1,5', '1e3', '--1', ' 1'].map(isDecimal)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(['007.10', '-0', '-0.00', '.5', '12.'].map(normalizeDecimal)).toEqual([
      '7.10',
      '0',
      '0.00',
      '0.5',
      '12',
    ]);
  });
});
