import { describe, expect, it } from 'vitest';
import { intBoundaries, stringBoundaries } from './key-range.js';
import { sliceFilters } from './slices.js';

describe('intBoundaries', () => {
  it.each([
    [1, 100, 4, [26, 51, 76]],
    [1, 3, 8, [2, 3]],
    [5, 5, 4, []],
    [-10, 10, 2, [0]],
    [0, 1_000_000, 3, [333334, 666667]],
  ])('%d..%d in %d', (min, max, n, expected) => {
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
