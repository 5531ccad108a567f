import { describe, expect, it } from 'vitest';
import { compileDatePattern } from './date-pattern.js';

describe('compileDatePattern', () => {
  it.each([
    ['dd-MM-yyyy', '05-02-2024', '2024-02-05'],
    ['d-M-yyyy', '5-2-2024', '2024-02-05'],
    ['d-M-yyyy', '15-12-2024', '2024-12-15'],
    ['yyyyMMdd', '20240229', '2024-02-29'],
    ['dd/MM/yyyy', '31/12/2023', '2023-12-31'],
    ['iso', '2024-03-01', '2024-03-01'],
    ['iso', '2024-03-01T10:11:12', '2024-03-01'],
  ])('date %s reads %s as %s', (pattern, text, expected) => {
    expect(compileDatePattern(pattern, 'date')(text)).toBe(expected);
  });

  it.each([
    ['dd-MM-yyyy HH:mm', '05-02-2024 09:30', '2024-02-05T09:30:00'],
    ["yyyy-MM-dd'T'HH:mm:ss", '2024-02-05T23:59:59', '2024-02-05T23:59:59'],
    ['iso', '2024-02-05 07:08', '2024-02-05T07:08:00'],
  ])('datetime %s reads %s as %s', (pattern, text, expected) => {
    expect(compileDatePattern(pattern, 'datetime')(text)).toBe(expected);
  });

  it.each([
    ['dd-MM-yyyy', '31-02-2024'],
    ['dd-MM-yyyy', '29-02-2023'],
    ['dd-MM-yyyy', '2024-02-05'],
    ['yyyyMMdd', '2024021'],
    ['dd-MM-yyyy', '00-01-2024'],
    ['d-M-yyyy', '1-13-2024'],
  ])('%s rejects %s', (pattern, text) => {
    expect(compileDatePattern(pattern, 'date')(text)).toBeUndefined();
  });

  it('rejects a datetime with hour 24', () => {
    expect(compileDatePattern('dd-MM-yyyy HH:mm', 'datetime')('01-01-2024 24:00')).toBeUndefined();
  });

  it('explains a bad pattern', () => {
    expect(() => compileDatePattern('dd-MM-jjjj', 'date')).toThrow(
      "date pattern `dd-MM-jjjj` has unknown part `jjjj`; use yyyy, MM, M, dd, d, HH, H, mm, ss or 'literal'",
    );
    expect(() => compileDatePattern('dd-MM', 'date')).toThrow(
      'date pattern `dd-MM` needs yyyy, MM (or M) and dd (or d)',
    );
  });
});
