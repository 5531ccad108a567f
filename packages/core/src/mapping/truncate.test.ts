import { describe, expect, it } from 'vitest';
import { charLength, truncateChars } from './truncate.js';

describe('charLength and truncateChars', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(charLength('abc')).toBe(3);
    expect(charLength('😀x')).toBe(2);
    expect(charLength('e\u0301')).toBe(2);
  });

  it('never splits a surrogate pair', () => {
    expect(truncateChars('ab😀cd', 3)).toBe('ab😀');
    expect(truncateChars('ab😀cd', 2)).toBe('ab');
  });

  it('never splits a combining sequence', () => {
    // "Café" with a combining acute: e + U+0301 is one grapheme of two code points.
    expect(truncateChars('Cafe\u0301s', 4)).toBe('Caf');
    expect(truncateChars('Cafe\u0301s', 5)).toBe('Cafe\u0301');
  });

  it('keeps emoji ZWJ sequences whole', () => {
    const family = '👨‍👩‍👧';
    expect(truncateChars(`a${family}b`, 3)).toBe('a');
    expect(truncateChars(`a${family}b`, 6)).toBe(`a${family}`);
  });

  it('returns short text unchanged', () => {
    expect(truncateChars('kort', 10)).toBe('kort');
  });
});
