import { describe, expect, it } from 'vitest';
import { parseDecimal } from './parse-decimal.js';

describe('parseDecimal', () => {
  it.each([
    ['12.10', '.', '12.1'],
    ['1,234.50', '.', '1234.5'],
    ['1,234', '.', '1234'],
    ['1.234,56', ',', '1234.56'],
    ['1234,5', ',', '1234.5'],
    ['1 234,5', ',', '1234.5'],
    ['-0.00', '.', '0'],
    ['+007', '.', '7'],
    ['.5', '.', '0.5'],
    ['-12.345678901234567890123', '.', '-12.345678901234567890123'],
    ['99999999999999999999.99', '.', '99999999999999999999.99'],
    ['1e3', '.', '1000'],
    ['1.5E-3', '.', '0.0015'],
  ] as const)('%s with mark %s is %s', (text, mark, expected) => {
    expect(parseDecimal(text, mark)).toBe(expected);
  });

  it.each([
    ['1.2,3', ','],
    ['12,', ','],
    ['12.34', ','],
    ['1,23', '.'],
    ['1,2345.6', '.'],
    ['1.234.5', '.'],
    ['abc', '.'],
    ['-', '.'],
    ['', '.'],
    ['12 EUR', '.'],
  ] as const)('rejects %s with mark %s', (text, mark) => {
    expect(parseDecimal(text, mark)).toBeUndefined();
  });

  it.for([
    ['1.234,56', ',', '.', '1234.56'],
    ['1.234', ',', '.', '1234'],
    ['1,234', '.', ',', '1234'],
    ["1'234'567.5", '.', "'", '1234567.5'],
    ['1 234,5', ',', ' ', '1234.5'],
    ['1\u00a0234,5', ',', ' ', '1234.5'],
    ['1234,5', ',', 'none', '1234.5'],
  ] as const)('%s with mark %s and thousands %s is %s', ([text, mark, thousands, expected]) => {
    expect(parseDecimal(text, mark, thousands)).toBe(expected);
  });

  it.each([
    ['1 234,5', ',', '.'],
    ['1.234,5', ',', 'none'],
    ['1,234.5', '.', "'"],
    ['1.234', '.', '.'],
  ] as const)('rejects %s with mark %s and thousands %s', (text, mark, thousands) => {
    expect(parseDecimal(text, mark, thousands)).toBeUndefined();
  });
});
