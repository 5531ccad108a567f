import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../src/mapping/parse-decimal.js';
import { seededRandom } from '../sources/seeded-random.js';

/** The grammar as the regular expressions parseDecimal used before its scanner, to compare against. */
const GRAMMAR = {
  '.': /^([+-]?)(?:(\d*)|(\d{1,3}([, \u00a0])\d{3}(?:\4\d{3})*))(?:\.(\d+))?$/,
  ',': /^([+-]?)(?:(\d*)|(\d{1,3}([. \u00a0])\d{3}(?:\4\d{3})*))(?:,(\d+))?$/,
};

function byRegex(text: string, mark: '.' | ','): string | undefined {
  const match = GRAMMAR[mark].exec(text);
  if (!match) return /[eE]/.test(text) ? parseDecimal(text, mark) : undefined;
  const whole = match[2] ?? (match[3] as string).replace(/\D/g, '');
  const fraction = match[5] ?? '';
  if (whole === '' && fraction === '') return undefined;
  const integer = whole.replace(/^0+(?=\d)/, '') || '0';
  const decimals = fraction.replace(/0+$/, '');
  const body = decimals ? `${integer}.${decimals}` : integer;
  return match[1] === '-' && body !== '0' ? `-${body}` : body;
}

describe('parseDecimal scanner', () => {
  it('accepts exactly what the grammar accepts, on random texts', () => {
    const next = seededRandom(12345);
    const alphabet = ['0', '1', '5', '9', '.', ',', ' ', '\u00a0', '-', '+', '000', '234', 'e', 'x'];
    let accepted = 0;
    for (let k = 0; k < 50_000; k++) {
      let text = '';
      for (let len = Math.floor(next() * 9); len > 0; len--)
        text += alphabet[Math.floor(next() * alphabet.length)];
      for (const mark of ['.', ','] as const) {
        const got = parseDecimal(text, mark);
        if (got !== undefined) accepted++;
        expect({ text, mark, got }).toEqual({ text, mark, got: byRegex(text, mark) });
      }
    }
    expect(accepted).toBeGreaterThan(5_000);
  });
});
