import { describe, expect, it } from 'vitest';
import { KeyIndex, keyHash } from './key-index.js';

describe('KeyIndex', () => {
  it('stores a value and state per hash, returns the previous state, and grows', () => {
    const index = new KeyIndex(16);
    for (let i = 0; i < 5000; i++) expect(index.set(keyHash(`k${i}`), i * 10, 1)).toBe(-1);
    expect(index.set(keyHash('k42'), 7, 2)).toBe(1);
    expect(index.size).toBe(5000);
    const slot = index.find(keyHash('k42'));
    expect([index.value(slot), index.state(slot)]).toEqual([7, 2]);
    expect(index.value(index.find(keyHash('k4999')))).toBe(49990);
    expect(index.find(keyHash('k5000'))).toBe(-1);
    expect(index.bytes).toBe(8192 * 17);
  });

  it('gives distinct hashes to close keys', () => {
    const hashes = new Set<string>();
    for (let i = 0; i < 100_000; i++) hashes.add(keyHash(`V${String(i).padStart(6, '0')}`).join(':'));
    expect(hashes.size).toBe(100_000);
    expect(keyHash('ab')).not.toEqual(keyHash('ba'));
    expect(keyHash('')).toEqual(keyHash(''));
  });
});
