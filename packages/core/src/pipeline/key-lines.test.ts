import { describe, expect, it } from 'vitest';
import { KeyLines, keyHash } from './key-lines.js';

describe('KeyLines', () => {
  it('remembers the first line of each key through growth', () => {
    const seen = new KeyLines();
    for (let i = 0; i < 10_000; i++) seen.set(`key-${i}`, i + 2);
    seen.set('key-7', 99_999);
    expect(seen.size).toBe(10_000);
    expect(seen.get('key-0')).toBe(2);
    expect(seen.get('key-7')).toBe(9);
    expect(seen.get('key-9999')).toBe(10_001);
    expect(seen.get('key-10000')).toBeUndefined();
    seen.set('', 0);
    expect(seen.get('')).toBe(0);
  });

  it('keeps keys exactly once they moved to disk, long and non-ASCII ones too', () => {
    const seen = new KeyLines({ memoryKeys: 100 });
    const long = 'x'.repeat(70_000);
    for (let i = 0; i < 5000; i++) seen.set(`sleutel-${i}-é`, i + 2);
    seen.set(long, 7);
    seen.set('sleutel-3-é', 1);
    expect(seen.size).toBe(5001);
    expect(seen.get('sleutel-0-é')).toBe(2);
    expect(seen.get('sleutel-3-é')).toBe(5);
    expect(seen.get('sleutel-4999-é')).toBe(5001);
    expect(seen.get('sleutel-5000-é')).toBeUndefined();
    expect(seen.get(long)).toBe(7);
    expect(seen.get(`${long}y`)).toBeUndefined();
    seen.close();
    seen.close();
    expect(seen.get('sleutel-0-é')).toBeUndefined();
  });

  it('tells apart keys whose 64-bit hashes collide (a scan of the key log)', () => {
    // Every key has the same hash: only the exact comparison keeps them apart.
    const seen = new KeyLines({ memoryKeys: 2, hash: () => [1, 2] });
    for (let i = 0; i < 50; i++) seen.set(`k${i}`, i + 10);
    expect(seen.size).toBe(50);
    expect(seen.get('k0')).toBe(10);
    expect(seen.get('k49')).toBe(59);
    expect(seen.get('k50')).toBeUndefined();
    seen.set('k49', 1);
    expect(seen.get('k49')).toBe(59);
    seen.close();
  });

  it('gives distinct 64-bit hashes to close keys', () => {
    const hashes = new Set<string>();
    for (let i = 0; i < 100_000; i++) hashes.add(keyHash(`V${String(i).padStart(6, '0')}`).join(':'));
    expect(hashes.size).toBe(100_000);
    expect(keyHash('ab')).not.toEqual(keyHash('ba'));
    expect(keyHash('')).toEqual(keyHash(''));
  });
});
