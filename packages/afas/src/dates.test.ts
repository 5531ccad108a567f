import { describe, expect, it } from 'vitest';
import { formatAfasDate, formatAfasDateTime, parseAfasDate } from './dates.js';

describe('parseAfasDate (Amsterdam local despite the Z)', () => {
  it.each([
    ['winter', '2024-01-15T12:00:00Z', '2024-01-15T11:00:00.000Z'],
    ['summer', '2024-07-01T12:00:00Z', '2024-07-01T10:00:00.000Z'],
    ['date only', '2024-01-31', '2024-01-30T23:00:00.000Z'],
    ['date-only field as datetime', '2024-06-30T00:00:00Z', '2024-06-29T22:00:00.000Z'],
    ['just before the spring gap', '2024-03-31T01:59:59Z', '2024-03-31T00:59:59.000Z'],
    ['in the spring gap (moved forward)', '2024-03-31T02:30:00Z', '2024-03-31T01:30:00.000Z'],
    ['after the spring gap', '2024-03-31T03:00:00Z', '2024-03-31T01:00:00.000Z'],
    ['autumn overlap (earlier instant)', '2024-10-27T02:30:00Z', '2024-10-27T00:30:00.000Z'],
    ['after the autumn overlap', '2024-10-27T03:00:00Z', '2024-10-27T02:00:00.000Z'],
    ['without Z', '2024-10-27T01:59:59', '2024-10-26T23:59:59.000Z'],
    ['milliseconds', '2024-01-15T12:00:00.250Z', '2024-01-15T11:00:00.250Z'],
  ])('%s: %s', (_name, text, iso) => {
    expect(parseAfasDate(text)?.toISOString()).toBe(iso);
  });

  it.each([['2024-13-01'], ['yesterday'], ['2024-01-01T25:00:00Z'], ['']])('rejects %j', (text) => {
    expect(parseAfasDate(text)).toBeUndefined();
  });
});

describe('formatAfasDateTime', () => {
  it.each([
    ['2024-01-15T11:00:00.000Z', '2024-01-15T12:00:00'],
    ['2024-07-01T10:00:00.000Z', '2024-07-01T12:00:00'],
    ['2024-10-27T00:30:00.000Z', '2024-10-27T02:30:00'],
    ['2024-10-27T01:30:00.000Z', '2024-10-27T02:30:00'],
    ['2024-03-31T01:00:00.000Z', '2024-03-31T03:00:00'],
    ['2023-12-31T23:30:00.000Z', '2024-01-01T00:30:00'],
  ])('%s -> %s (no Z)', (iso, local) => {
    expect(formatAfasDateTime(new Date(iso))).toBe(local);
  });

  it('formats a calendar date in Amsterdam', () => {
    expect(formatAfasDate(new Date('2023-12-31T23:30:00.000Z'))).toBe('2024-01-01');
  });

  it('round-trips every hour of 2024', () => {
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2025, 0, 1); t += 3_600_000) {
      const local = formatAfasDateTime(new Date(t));
      const back = parseAfasDate(`${local}Z`)!;
      // the second hour of the autumn overlap maps back to the first one
      if (back.getTime() !== t) expect(back.getTime()).toBe(t - 3_600_000);
    }
  });
});
