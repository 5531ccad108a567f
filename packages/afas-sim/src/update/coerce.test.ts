import { describe, expect, it } from 'vitest';
import { ProfitFault } from '../profit-fault.js';
import { GENDERS } from './codes.js';
import { coerce } from './coerce.js';
import { f } from './spec.js';

const label: [string, string] = ['Veld', 'Field'];

describe('coerce', () => {
  it.for<[string, ReturnType<typeof f>, unknown, unknown]>([
    ['int from a string', f({ id: 'A', dataType: 'int', length: 10, label }), ' 42 ', 42],
    ['int from a number', f({ id: 'A', dataType: 'int', length: 10, label }), -7, -7],
    [
      'long past int32',
      f({ id: 'A', dataType: 'long', length: 19, label }),
      '9007199254740991',
      9007199254740991,
    ],
    ['decimal from a number', f({ id: 'A', dataType: 'decimal', length: 26, label }), 0.1, '0.1'],
    ['decimal normalised', f({ id: 'A', dataType: 'decimal', length: 26, label }), '+012.50', '12.50'],
    ['decimal .5', f({ id: 'A', dataType: 'decimal', length: 26, label }), '-.5', '-0.5'],
    ['boolean "true"', f({ id: 'A', dataType: 'boolean', length: 1, label }), 'TRUE', true],
    ['boolean 0', f({ id: 'A', dataType: 'boolean', length: 1, label }), 0, false],
    ['date', f({ id: 'A', dataType: 'date', length: 10, label }), '2024-02-29', '2024-02-29'],
    [
      'datetime into a date field',
      f({ id: 'A', dataType: 'date', length: 10, label }),
      '2024-02-29T13:42:59',
      '2024-02-29',
    ],
    [
      'datetime field from a date',
      f({ id: 'A', dataType: 'date', length: 10, label, datetime: true }),
      '2024-02-29',
      '2024-02-29T00:00:00',
    ],
    [
      'datetime field without seconds',
      f({ id: 'A', dataType: 'date', length: 10, label, datetime: true }),
      '2024-02-29T13:42',
      '2024-02-29T13:42:00',
    ],
    ['string from a number', f({ id: 'A', dataType: 'string', length: 10, label }), 12345, '12345'],
    ['string keeps spaces', f({ id: 'A', dataType: 'string', length: 10, label }), ' a ', ' a '],
    ['blob', f({ id: 'A', dataType: 'blob', length: 0, label }), 'aGFs\nbG8=', 'aGFsbG8='],
    ['empty string', f({ id: 'A', dataType: 'int', length: 10, label }), '', null],
    ['null', f({ id: 'A', dataType: 'date', length: 10, label }), null, null],
    ['code', f({ id: 'A', dataType: 'string', length: 1, label, values: GENDERS }), 'V', 'V'],
  ])('converts %s', ([, field, raw, expected]) => {
    expect(coerce(field, raw, 'nl-nl')).toEqual(expected);
  });

  it.each<[string, ReturnType<typeof f>, unknown]>([
    ['int with decimals', f({ id: 'A', dataType: 'int', length: 10, label }), '1.5'],
    ['int past int32', f({ id: 'A', dataType: 'int', length: 10, label }), 2147483648],
    ['long past 2^53', f({ id: 'A', dataType: 'long', length: 19, label }), '9007199254740993'],
    ['int from a boolean', f({ id: 'A', dataType: 'int', length: 10, label }), true],
    ['decimal with a comma', f({ id: 'A', dataType: 'decimal', length: 26, label }), '1,5'],
    ['decimal in exponent form', f({ id: 'A', dataType: 'decimal', length: 26, label }), 1e21],
    ['boolean "yes"', f({ id: 'A', dataType: 'boolean', length: 1, label }), 'yes'],
    ['date with Z', f({ id: 'A', dataType: 'date', length: 10, label }), '2024-01-01T00:00:00Z'],
    ['date 2023-02-29', f({ id: 'A', dataType: 'date', length: 10, label }), '2023-02-29'],
    ['datetime 24:00', f({ id: 'A', dataType: 'date', length: 10, label }), '2024-01-01T24:00:00'],
    ['blob with bad characters', f({ id: 'A', dataType: 'blob', length: 0, label }), 'a$b='],
    ['array', f({ id: 'A', dataType: 'string', length: 10, label }), ['a']],
    ['string too long', f({ id: 'A', dataType: 'string', length: 3, label }), 'abcd'],
    ['notzero', f({ id: 'A', dataType: 'decimal', length: 26, label, notzero: true }), '0.00'],
  ])('rejects %s with a ProfitFault', (_case, field, raw) => {
    expect(() => coerce(field, raw, 'nl-nl')).toThrow(ProfitFault);
  });

  it('counts characters, not UTF-16 units or bytes', () => {
    expect(coerce(f({ id: 'A', dataType: 'string', length: 3, label }), '😀é€', 'nl-nl')).toBe('😀é€');
    expect(() => coerce(f({ id: 'A', dataType: 'string', length: 3, label }), '😀é€x', 'nl-nl')).toThrow(
      "The value for 'Field' is too long (at most 3 characters).",
    );
  });
});
