import { describe, expect, it } from 'vitest';
import { DecimalSum } from '../../src/plan/decimal-sum.js';
import { seededRandom } from '../sources/seeded-random.js';

describe('DecimalSum small-number path', () => {
  it('sums random short decimals exactly like BigInt arithmetic', () => {
    const next = seededRandom(99);
    for (let round = 0; round < 200; round++) {
      const sum = new DecimalSum();
      let exact = 0n;
      const scale = 6;
      for (let k = 0; k < 50; k++) {
        const whole = String(Math.floor(next() * 10 ** Math.floor(next() * 16)));
        const fraction = String(Math.floor(next() * 1000))
          .padStart(3, '0')
          .slice(0, Math.floor(next() * 4));
        const negative = next() < 0.3;
        const text = `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
        sum.add(text);
        const units = BigInt(whole) * 10n ** BigInt(scale) + BigInt(fraction.padEnd(scale, '0') || '0');
        exact += negative ? -units : units;
      }
      const text = (exact < 0n ? -exact : exact).toString().padStart(scale + 1, '0');
      const expected = `${exact < 0n ? '-' : ''}${text.slice(0, -scale)}.${text.slice(-scale)}`;
      expect(sum.toFixed(scale)).toBe(expected);
    }
  });
});
