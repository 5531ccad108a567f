import { describe, expect, it } from 'vitest';
import { compileCodes } from './codes.js';
import { afasCountryOfIso, ISO_TO_AFAS_COUNTRY } from './iso-country.js';

describe('ISO 3166 -> AFAS country codes', () => {
  it.each([
    ['NL', 'NL'],
    ['BE', 'B'],
    ['de', 'D'],
    [' FR ', 'F'],
    ['GB', 'GB'],
    ['US', 'USA'],
    ['PT', 'P'],
    ['ES', 'E'],
    ['LU', 'L'],
    ['AT', 'A'],
    ['SD', 'SUD'],
    ['SZ', 'SD'],
    ['LB', 'RL'],
    ['LR', 'LB'],
  ])('%s -> %s', (iso, afas) => {
    expect(afasCountryOfIso(iso)).toBe(afas);
  });

  it('knows no code twice and rejects what is not ISO alpha-2', () => {
    const values = Object.values(ISO_TO_AFAS_COUNTRY);
    expect(new Set(values).size).toBe(values.length);
    expect(afasCountryOfIso('B')).toBeUndefined();
    expect(afasCountryOfIso('USA')).toBeUndefined();
    expect(afasCountryOfIso('XX')).toBeUndefined();
  });

  it('is what codes: { by: iso-country } compiles to', () => {
    const lookup = compileCodes({ by: 'iso-country' }, 'nl-nl', null);
    expect(lookup('BE')).toBe('B');
    expect(lookup('ZZ')).toBeUndefined();
  });
});
