import type { Row } from './typed-row.js';

/** A sort field parsed from `Field` / `-Field`. */
export interface SortKey {
  field: string;
  descending: boolean;
}

/** Parse `orderBy` (`'A'`, `'-B'`, or a list) into sort keys. */
export function parseOrderBy(orderBy: string | readonly string[] | undefined): SortKey[] {
  const list = orderBy === undefined ? [] : typeof orderBy === 'string' ? orderBy.split(',') : orderBy;
  return list
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) =>
      entry.startsWith('-')
        ? { field: entry.slice(1), descending: true }
        : { field: entry, descending: false },
    );
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const sa = String(a);
  const sb = String(b);
  const folded = sa.toLowerCase() < sb.toLowerCase() ? -1 : sa.toLowerCase() > sb.toLowerCase() ? 1 : 0;
  return folded !== 0 ? folded : sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** A row comparator following the sort keys (nulls first, strings case-insensitively). */
export function rowComparator(keys: readonly SortKey[]): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const key of keys) {
      const order = compareValues(a[key.field], b[key.field]);
      if (order !== 0) return key.descending ? -order : order;
    }
    return 0;
  };
}

/**
 * Merge row streams that are each sorted by `keys` into one sorted stream; rows that are equal on
 * every column (the same row matched by several split filters) are emitted once.
 */
export async function* mergeSorted(
  sources: AsyncIterable<Row>[],
  keys: readonly SortKey[],
): AsyncGenerator<Row> {
  const compare = rowComparator(keys);
  const iterators = sources.map((source) => source[Symbol.asyncIterator]());
  const heads: Array<Row | undefined> = await Promise.all(
    iterators.map(async (it) => {
      const next = await it.next();
      return next.done ? undefined : next.value;
    }),
  );
  let recent: Row | undefined;
  let recentSeen = new Set<string>();
  try {
    for (;;) {
      let best = -1;
      for (let i = 0; i < heads.length; i++) {
        const head = heads[i];
        if (head !== undefined && (best < 0 || compare(head, heads[best]!) < 0)) best = i;
      }
      if (best < 0) return;
      const row = heads[best]!;
      const next = await iterators[best]!.next();
      heads[best] = next.done ? undefined : next.value;
      if (recent === undefined || compare(recent, row) !== 0) recentSeen = new Set();
      recent = row;
      const identity = JSON.stringify(row);
      if (recentSeen.has(identity)) continue;
      recentSeen.add(identity);
      yield row;
    }
  } finally {
    await Promise.all(iterators.map((it) => it.return?.()));
  }
}
