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

  it.each([
    ['d-M-yyyy', '1-2-2024', '2024-02-01'],
    ['d/M/yyyy', '1/2/2024', '2024-02-01'],
    ['dd.MM.yyyy', '01.02.2024', '2024-02-01'],
    ['d.M.yyyy', '9.11.2024', '2024-11-09'],
  ])('Dutch and German Excel forms: %s reads %s as %s', (pattern, text, expected) => {
    expect(compileDatePattern(pattern, 'date')(text)).toBe(expected);
  });

  it('explains why a day does not exist, and says nothing extra when the shape does not match', () => {
    const iso = compileDatePattern('iso', 'datetime');
    expect(iso.explain('2024-02-31')).toBe('February 2024 has no day 31 (it has 29 days)');
    expect(iso.explain('2023-02-29')).toBe('February 2023 has no day 29 (it has 28 days)');
    expect(iso.explain('2024-13-01')).toBe('month 13 does not exist (01-12)');
    expect(iso.explain('2024-01-01T24:00:00')).toBe(
      'hour 24 does not exist (00-23; 24:00 is 00:00 of the next day)',
    );
    expect(iso.explain('yesterday')).toBe('');
  });

  it('every day of 1900-2100 round-trips through d-M-yyyy and nothing else parses (random texts)', () => {
    const parse = compileDatePattern('d-M-yyyy', 'date');
    for (let t = Date.UTC(1900, 0, 1); t <= Date.UTC(2100, 11, 31); t += 86_400_000) {
      const date = new Date(t);
      const text = `${date.getUTCDate()}-${date.getUTCMonth() + 1}-${date.getUTCFullYear()}`;
      expect(parse(text)).toBe(date.toISOString().slice(0, 10));
    }
    let x = 7;
    for (let k = 0; k < 20_000; k++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const d = x % 40;
      const m = (x >> 8) % 15;
      const y = 1999 + ((x >> 16) % 3);
      const got = parse(`${d}-${m}-${y}`);
      const real = new Date(Date.UTC(y, m - 1, d));
      const exists = m >= 1 && m <= 12 && d >= 1 && real.getUTCDate() === d;
      expect(got).toBe(exists ? real.toISOString().slice(0, 10) : undefined);
    }
  });

  describe('excel serial dates', () => {
    const date = compileDatePattern('excel', 'date');
    const datetime = compileDatePattern('excel', 'datetime');
    it.each([
      ['1', '1900-01-01'],
      ['59', '1900-02-28'],
      ['61', '1900-03-01'],
      ['45292', '2024-01-01'],
      ['45351', '2024-02-29'],
      ['2958465', '9999-12-31'],
    ])('%s is %s', (serial, expected) => {
      expect(date(serial)).toBe(expected);
    });

    it('refuses 60 (the 1900-02-29 of the Lotus leap-year bug), 0, out-of-range and non-numbers', () => {
      expect(date('60')).toBeUndefined();
      expect(date.explain('60')).toContain('1900-02-29, a day that does not exist');
      expect(date('0')).toBeUndefined();
      expect(date('2958466')).toBeUndefined();
      expect(date('45292,5')).toBeUndefined();
      expect(date('1-2-2024')).toBeUndefined();
    });

    it('reads the fraction as the time of day for datetime, and refuses it for date', () => {
      expect(datetime('45292.5')).toBe('2024-01-01T12:00:00');
      expect(datetime('45292.75')).toBe('2024-01-01T18:00:00');
      expect(datetime('45292')).toBe('2024-01-01T00:00:00');
      expect(date('45292.5')).toBeUndefined();
      expect(date.explain('45292.5')).toBe('has a time of day; use `type: datetime` to keep it');
    });
  });
});
