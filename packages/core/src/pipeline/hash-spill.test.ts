import { describe, expect, it } from 'vitest';
import { HashSpill } from './hash-spill.js';
import { keyHash } from './key-lines.js';

describe('HashSpill', () => {
  it('maps hashes to values, newest wins, across memory and merged runs on disk', () => {
    const map = new HashSpill({ memoryEntries: 64 });
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const [hi, lo] = keyHash(`key-${i}`);
      expect(map.set(hi, lo, i * 3)).toBe(-1);
    }
    expect(map.size).toBe(n);
    // Runs merge two by two: a handful of files, not n / 64.
    expect(map.runs).toBeGreaterThan(1);
    expect(map.runs).toBeLessThan(16);
    for (let i = 0; i < n; i += 7) {
      const [hi, lo] = keyHash(`key-${i}`);
      expect(map.set(hi, lo, i * 3 + 1)).toBe(i * 3);
    }
    expect(map.size).toBe(n);
    for (let i = 0; i < n; i++) {
      const [hi, lo] = keyHash(`key-${i}`);
      expect(map.get(hi, lo)).toBe(i % 7 === 0 ? i * 3 + 1 : i * 3);
    }
    for (let i = n; i < n + 2000; i++) {
      const [hi, lo] = keyHash(`key-${i}`);
      expect(map.get(hi, lo)).toBe(-1);
    }
    const [hi, lo] = keyHash('big');
    map.set(hi, lo, 2 ** 50);
    expect(map.get(hi, lo)).toBe(2 ** 50);
    map.close();
    map.close();
    expect(map.get(hi, lo)).toBe(-1);
  });

  it('validates its options', () => {
    expect(() => new HashSpill({ memoryEntries: 0 })).toThrow(
      'Expected `memoryEntries` to be an integer >= 1, got `0`',
    );
  });
});
