import { formatAmsterdamOffset, getConnectorValue, parseAfasDate } from '@koppel/afas';
import { describe, expect, it } from 'vitest';

/** GetConnector datetimes (Amsterdam local time behind a misleading Z) written with their offset. */
describe('Amsterdam time with offset', () => {
  it.each([
    ['2024-03-31T01:59:59Z', '2024-03-31T01:59:59+01:00'],
    ['2024-03-31T02:30:00Z', '2024-03-31T03:30:00+02:00'], // the spring gap moves forward
    ['2024-03-31T03:30:00Z', '2024-03-31T03:30:00+02:00'],
    ['2024-10-27T02:30:00Z', '2024-10-27T02:30:00+02:00'], // the repeated hour: the earlier instant
    ['2024-10-27T03:00:00Z', '2024-10-27T03:00:00+01:00'],
    ['2024-01-31T00:00:00Z', '2024-01-31T00:00:00+01:00'],
    ['2024-03-30T23:59:59Z', '2024-03-30T23:59:59+01:00'], // the days around a change
    ['2024-04-01T00:00:00Z', '2024-04-01T00:00:00+02:00'],
    ['2024-10-26T23:00:00Z', '2024-10-26T23:00:00+02:00'],
    ['2024-10-28T00:00:00Z', '2024-10-28T00:00:00+01:00'],
    ['2024-01-31Z', '2024-01-31T00:00:00+01:00'],
    ['2024-06-12T14:03:21', '2024-06-12T14:03:21+02:00'],
    ['2024-01-31', '2024-01-31T00:00:00+01:00'],
    ['1990-07-01T12:00:00Z', '1990-07-01T12:00:00+02:00'],
    ['not a date', 'not a date'],
  ])('%s -> %s', (value, expected) => {
    expect(getConnectorValue(value, 'date')).toBe(expected);
  });

  it('agrees with parseAfasDate + formatAmsterdamOffset over 1996-2040, densely around every change', () => {
    const pad = (n: number) => String(n).padStart(2, '0');
    const mismatches: string[] = [];
    const times: number[] = [];
    for (let t = Date.UTC(1996, 0, 1); t < Date.UTC(2040, 0, 1); t += 7 * 3_600_000 + 13 * 60_000 + 13_000)
      times.push(t);
    for (let year = 1996; year < 2040; year++) {
      for (const month of [2, 9]) {
        const last = new Date(Date.UTC(year, month + 1, 0));
        const sunday = Date.UTC(year, month, last.getUTCDate() - last.getUTCDay());
        for (let t = sunday; t < sunday + 5 * 3_600_000; t += 5 * 60_000) times.push(t);
      }
    }
    for (const t of times) {
      const d = new Date(t);
      const local = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`;
      const slow = formatAmsterdamOffset(parseAfasDate(local) as Date);
      if (getConnectorValue(local, 'date') !== slow) mismatches.push(local);
    }
    expect(mismatches).toEqual([]);
  });

  it('numbers keep their text, other values pass, null stays null', () => {
    expect(String(getConnectorValue(12.5, 'decimal'))).toBe('12.5');
    expect(getConnectorValue(true, 'boolean')).toBe(true);
    expect(getConnectorValue(null, 'string')).toBeNull();
    expect(getConnectorValue('2024-01-31T00:00:00Z', 'string')).toBe('2024-01-31T00:00:00Z');
  });
});
