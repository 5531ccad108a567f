import { describe, expect, it } from 'vitest';
import { intBoundaries, stringBoundaries } from './key-range.js';
import { sliceFilters } from './slices.js';

describe('intBoundaries', () => {
  it.for([
    { min: 1, max: 100, n: 4, expected: [26, 51, 76] },
    { min: 1, max: 3, n: 8, expected: [2, 3] },
    { min: 5, max: 5, n: 4, expected: [] },
    { min: -10, max: 10, n: 2, expected: [0] },
    { min: 0, max: 1_000_000, n: 3, expected: [333334, 666667] },
  ])('$min..$max in $n', ({ min, max, n, expected }) => {
    expect(intBoundaries(min, max, n)).toEqual(expected);
  });
});

describe('stringBoundaries', () => {
  it('interpolates between the shared prefix and keeps order', () => {
    const b = stringBoundaries('C0001', 'C9999', 4);
    expect(b).toEqual([...b].sort());
    expect(b.length).toBe(3);
    for (const x of b) {
      expect(x > 'c0001' || x > 'C0001').toBe(true);
      expect(x.startsWith('C')).toBe(true);
    }
  });

  it('uses only [0-9a-z] after the prefix for lower-case keys', () => {
    const b = stringBoundaries('alpha', 'zulu', 5);
    expect(b.length).toBe(4);
    for (const x of b) expect(x).toMatch(/^[0-9a-z]+$/);
    expect(b).toEqual([...new Set(b)].sort());
  });

  it('returns nothing for equal keys', () => {
    expect(stringBoundaries('same', 'same', 4)).toEqual([]);
  });
});

describe('sliceFilters', () => {
  it('ANDs each OR group with contiguous, disjoint ranges', () => {
    const filters = sliceFilters(
      [[{ field: 'A', operator: 1, value: 'x' }], [{ field: 'B', operator: 1, value: 'y' }]],
      'Id',
      [10, 20],
    );
    expect(filters).toEqual([
      [
        [
          { field: 'A', operator: 1, value: 'x' },
          { field: 'Id', operator: 5, value: '10' },
        ],
        [
          { field: 'B', operator: 1, value: 'y' },
          { field: 'Id', operator: 5, value: '10' },
        ],
      ],
      [
        [
          { field: 'A', operator: 1, value: 'x' },
          { field: 'Id', operator: 2, value: '10' },
          { field: 'Id', operator: 5, value: '20' },
        ],
        [
          { field: 'B', operator: 1, value: 'y' },
          { field: 'Id', operator: 2, value: '10' },
          { field: 'Id', operator: 5, value: '20' },
        ],
      ],
      [
        [
          { field: 'A', operator: 1, value: 'x' },
          { field: 'Id', operator: 2, value: '20' },
        ],
        [
          { field: 'B', operator: 1, value: 'y' },
          { field: 'Id', operator: 2, value: '20' },
        ],
      ],
    ]);
    expect(sliceFilters([], 'Id', [])).toEqual([[[]]]);
  });
});
