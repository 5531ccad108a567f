import { describe, expect, it } from 'vitest';
import { KeyIndex, keyHash } from './key-index.js';

describe('KeyIndex', () => {
  it('stores a value per hash, returns the previous value, and grows', () => {
    const index = new KeyIndex(16);
    for (let i = 0; i < 5000; i++) expect(index.set(...keyHash(`k${i}`), i * 10)).toBe(-1);
    expect(index.set(...keyHash('k42'), 7)).toBe(420);
    expect(index.size).toBe(5000);
    expect(index.get(...keyHash('k42'))).toBe(7);
    expect(index.get(...keyHash('k4999'))).toBe(49990);
    expect(index.get(...keyHash('k5000'))).toBe(-1);
    expect(index.bytes).toBe(8192 * 16);
  });

  it('gives distinct hashes to close keys', () => {
    const hashes = new Set<string>();
    for (let i = 0; i < 100_000; i++) hashes.add(keyHash(`V${String(i).padStart(6, '0')}`).join(':'));
    expect(hashes.size).toBe(100_000);
    expect(keyHash('ab')).not.toEqual(keyHash('ba'));
    expect(keyHash('')).toEqual(keyHash(''));
  });
});
