import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { inexactNumber } from '../../src/job/exact-number.js';

/** What the YAML parser makes of a plain scalar, checked against what was written. */
const check = (written: string) => inexactNumber(written, parse(written) as number);

describe('inexactNumber', () => {
  it.each([
    '0',
    '-0',
    '1',
    '12.50',
    '0.1',
    '.5',
    '1e3',
    '1.5E-3',
    '+7',
    '-12.340',
    '9007199254740991',
    '0x1F',
    '0o17',
    '100000000000000000000',
  ])('%s survives as a JavaScript number', (written) => expect(check(written)).toBeUndefined());

  it.each([
    ['1234567890123456.78', '1234567890123456.8'],
    ['9007199254740993', '9007199254740992'],
    ['0.12345678901234567890', '0.12345678901234568'],
    ['-1e400', '-Infinity'],
    ['.inf', 'Infinity'],
    ['0x20000000000001', '9007199254740992'],
  ])('%s becomes %s', (written, becomes) => expect(check(written)).toBe(becomes));
});
