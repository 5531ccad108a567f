import { describe, expect, it } from 'vitest';
import { mergeSorted, parseOrderBy, rowComparator } from './row-order.js';

async function* from<T>(items: T[]) {
  yield* items;
}

describe('row order', () => {
  it('parses orderBy forms', () => {
    expect(parseOrderBy('A,-B')).toEqual([
      { field: 'A', descending: false },
      { field: 'B', descending: true },
    ]);
    expect(parseOrderBy(['-C'])).toEqual([{ field: 'C', descending: true }]);
    expect(parseOrderBy(undefined)).toEqual([]);
  });

  it('sorts nulls first and strings case-insensitively', () => {
    const rows = [{ A: 'b' }, { A: null }, { A: 'B' }, { A: 'a' }];
    expect(rows.sort(rowComparator(parseOrderBy('A'))).map((r) => r.A)).toEqual([null, 'a', 'B', 'b']);
  });

  it('merges sorted streams and drops identical rows', async () => {
    const out = [];
    for await (const row of mergeSorted(
      [from([{ Id: 1 }, { Id: 3 }, { Id: 5 }]), from([{ Id: 2 }, { Id: 3 }, { Id: 6 }]), from([])],
      parseOrderBy('Id'),
    )) {
      out.push(row.Id);
    }
    expect(out).toEqual([1, 2, 3, 5, 6]);
  });
});
