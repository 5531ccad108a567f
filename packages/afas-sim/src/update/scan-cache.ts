import type { Row, SimDatabase, Value } from '../db.js';

/** A fold over a table's rows, kept up to date by scanning only rows appended since the last call. */
interface Fold<S> {
  rows: readonly Row[];
  length: number;
  last: Row | undefined;
  state: S;
  step: (state: S, row: Row) => void;
  /** Takes deleted rows out of the state; undefined when the state cannot forget rows (maxima keep their high-water mark). */
  forget?: (state: S, gone: ReadonlySet<Row>) => void;
}

/** How one fold starts and steps: `id` names it among the folds of a table. */
interface FoldSpec<S> {
  id: string;
  init: () => S;
  step: (state: S, row: Row) => void;
  forget?: (state: S, gone: ReadonlySet<Row>) => void;
}

/** Rows whose `column` holds `value`. */
export interface Where {
  column: string;
  value: Value;
}

const folds = new WeakMap<SimDatabase, Map<string, Fold<unknown>>>();

/**
 * Folds `step` over every row of `table`, incrementally: when the table only grew since the last
 * call (same array, same row at the old end), only the new rows are visited; after a delete, a
 * rollback or a clear the fold starts over. Folds must depend on columns the engine never updates.
 */
function fold<S>(db: SimDatabase, table: string, { id, init, step, forget }: FoldSpec<S>): S {
  let perDb = folds.get(db);
  if (!perDb) {
    perDb = new Map();
    folds.set(db, perDb);
  }
  const rows = db.rows(table);
  const key = `${table}\u0000${id}`;
  let cached = perDb.get(key) as Fold<S> | undefined;
  const stale =
    !cached ||
    cached.rows !== rows ||
    rows.length < cached.length ||
    (cached.length > 0 && rows[cached.length - 1] !== cached.last);
  if (!cached || stale) {
    cached = { rows, length: 0, last: undefined, state: init(), step, ...(forget ? { forget } : {}) };
    perDb.set(key, cached as Fold<unknown>);
  }
  for (let index = cached.length; index < rows.length; index++) step(cached.state, rows[index] as Row);
  cached.length = rows.length;
  cached.last = rows[rows.length - 1];
  return cached.state;
}

/** Rows of `table` whose `column` equals `value`, through an incremental index. */
export function lookup(db: SimDatabase, table: string, { column, value }: Where): Row[] {
  const index = fold(db, table, {
    id: `index:${column}`,
    init: () => new Map<Value, Row[]>(),
    step: (map, row) => {
      const key = row[column] ?? null;
      const list = map.get(key);
      if (list) list.push(row);
      else map.set(key, [row]);
    },
    forget: (map, gone) => {
      for (const row of gone) {
        const key = row[column] ?? null;
        const list = map.get(key)?.filter((candidate) => candidate !== row);
        if (list && list.length > 0) map.set(key, list);
        else map.delete(key);
      }
    },
  });
  return index.get(value) ?? [];
}

/**
 * Tells the folds of `table` that `gone` were deleted and the table is now `db.rows(table)`, so
 * they stay incremental: indexes drop the rows, maxima keep their high-water mark (numbers are
 * never reused). Call right after `db.delete` and before any other write to the table.
 */
export function forgetRows(db: SimDatabase, table: string, gone: readonly Row[]): void {
  const perDb = folds.get(db);
  if (!perDb || gone.length === 0) return;
  const rows = db.rows(table);
  const set = new Set(gone);
  const prefix = `${table}\u0000`;
  for (const [key, cached] of perDb) {
    if (!key.startsWith(prefix)) continue;
    // The fold still holds the table as it was before the delete: catch up on it, then forget.
    const before = cached.rows;
    if (before.length !== rows.length + gone.length || before[cached.length - 1] !== cached.last) {
      perDb.delete(key);
      continue;
    }
    for (let index = cached.length; index < before.length; index++)
      cached.step(cached.state, before[index] as Row);
    cached.forget?.(cached.state, set);
    cached.rows = rows;
    cached.length = rows.length;
    cached.last = rows[rows.length - 1];
  }
}

/** Which maximum maxOf takes: of `column`, only over the rows `group` selects when given. */
export interface MaxOptions {
  column: string;
  group?: Where | undefined;
}

/** The highest safe-integer value of a column in `table` (see MaxOptions). */
export function maxOf(db: SimDatabase, table: string, { column, group }: MaxOptions): number {
  const groupColumn = group?.column;
  const maxima = fold(db, table, {
    id: `max:${column}:${groupColumn ?? ''}`,
    init: () => new Map<Value, number>(),
    step: (map, row) => {
      const value = Number(row[column]);
      if (!Number.isSafeInteger(value)) return;
      const key = groupColumn ? (row[groupColumn] ?? null) : null;
      if (value > (map.get(key) ?? Number.NEGATIVE_INFINITY)) map.set(key, value);
    },
  });
  return maxima.get(groupColumn ? (group?.value ?? null) : null) ?? Number.NEGATIVE_INFINITY;
}
