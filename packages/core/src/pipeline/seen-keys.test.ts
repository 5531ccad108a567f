import { describe, expect, it } from 'vitest';
import { SeenKeys } from './seen-keys.js';

describe('SeenKeys', () => {
  it('remembers the first line of each key through growth', () => {
    const seen = new SeenKeys();
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
});
