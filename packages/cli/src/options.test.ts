import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { wholeNumber } from './options.js';

describe('wholeNumber', () => {
  const limit = wholeNumber('--limit');
  const port = wholeNumber('--port', { min: 0, max: 65535 });

  it('accepts digits within the bounds', () => {
    expect(limit('1')).toBe(1);
    expect(limit(' 250 ')).toBe(250);
    expect(port('0')).toBe(0);
    expect(port('65535')).toBe(65535);
  });

  it.each([
    'abc',
    '-1',
    '0',
    '1.5',
    '1e3',
    '0x10',
    '+5',
    '',
    ' ',
    '99999999999999999',
    'Infinity',
    'NaN',
    '١٢',
  ])('refuses --limit %j as a usage error naming the option and the value', (value) => {
    expect(() => limit(value)).toThrow(UsageError);
    expect(() => limit(value)).toThrow(
      `--limit: expected a whole number ≥ 1, got \`${value.replace(/\s+/g, ' ')}\``,
    );
  });

  it('names the range of a bounded option and cuts a long value', () => {
    expect(() => port('65536')).toThrow('--port: expected a whole number from 0 to 65535, got `65536`');
    expect(() => limit('9'.repeat(10_000))).toThrow(`got \`${'9'.repeat(40)}…\``);
  });
});
