import { describe, expect, it } from 'vitest';
import { type Key, lowerBound, sortOrder } from './sort-order.js';

const order = (keys: Key[][], descending: boolean[], dates: boolean[] = keys.map(() => false)) =>
  Array.from(sortOrder(keys, { dates, descending }).order);

describe('sortOrder', () => {
  it('sorts integers, nulls first ascending and last descending, ties in row order', () => {
    expect(order([[3, null, 1, 3, 2]], [false])).toEqual([1, 2, 4, 0, 3]);
    expect(order([[3, null, 1, 3, 2]], [true])).toEqual([0, 3, 4, 2, 1]);
  });

  it('sorts decimals exactly and falls back for floats that do not scale to integers', () => {
    expect(order([[1.25, -0.5, 1.2, 100.01]], [false])).toEqual([1, 2, 0, 3]);
    expect(order([[0.123456789, 0.1234567891, -1e-9, null]], [false])).toEqual([3, 2, 0, 1]);
  });

  it('sorts strings by code unit and datetimes chronologically', () => {
    expect(order([['b', 'a', null, 'ab']], [false])).toEqual([2, 1, 3, 0]);
    expect(
      order([['2024-01-01T00:00:01', '2023-12-31T23:59:59', '2024-01-01T00:00:00']], [false], [true]),
    ).toEqual([1, 2, 0]);
  });

  it('orders ties of the first key by the next keys', () => {
    const first: Key[] = ['x', 'y', 'x', 'y', 'x'];
    const second: Key[] = [2, 1, 1, null, 2];
    expect(order([first, second], [false, false])).toEqual([2, 0, 4, 3, 1]);
    expect(order([first, second], [true, true])).toEqual([1, 3, 0, 4, 2]);
  });

  it('keeps the first keys in sorted order for range seeks', () => {
    const { firstKeys } = sortOrder([[5, null, 1, 3]], { dates: [false], descending: [false] });
    expect(Array.from(firstKeys)).toEqual([-Number.MAX_VALUE, 1, 3, 5]);
    expect([
      lowerBound(firstKeys, 3, false),
      lowerBound(firstKeys, 3, true),
      lowerBound(firstKeys, 9, false),
    ]).toEqual([2, 3, 4]);
  });
});
