import { describe, expect, it } from 'vitest';
import { DecimalSum } from './decimal-sum.js';

describe('DecimalSum', () => {
  it('adds exactly where binary floating point does not', () => {
    const sum = new DecimalSum();
    for (const value of ['0.1', '0.2']) sum.add(value);
    const three = new DecimalSum();
    three.add('0.3');
    expect(sum.equals(three)).toBe(true);
    expect(sum.toFixed(2)).toBe('0.30');
  });

  it('handles negatives, growing scale and huge values', () => {
    const sum = new DecimalSum();
    for (const value of ['-1', '0.005', '12345678901234567890.1']) sum.add(value);
    expect(sum.toFixed(3)).toBe('12345678901234567889.105');
    const other = new DecimalSum();
    other.add('12345678901234567889.1');
    expect(sum.minus(other).toFixed(3)).toBe('0.005');
    expect(other.minus(sum).toFixed(3)).toBe('-0.005');
    expect(new DecimalSum().toFixed(2)).toBe('0.00');
  });
});

describe('DecimalSum past 2^53 units', () => {
  it('moves to BigInt without losing a unit', () => {
    const sum = new DecimalSum();
    sum.add('90071992547409.91');
    sum.add('90071992547409.91');
    sum.add('0.01');
    expect(sum.toFixed(2)).toBe('180143985094819.83');
    const other = new DecimalSum();
    other.add('180143985094819.83');
    expect(sum.equals(other)).toBe(true);
  });
});
