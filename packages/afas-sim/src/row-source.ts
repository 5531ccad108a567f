import type { Row, SimDatabase, Value } from './db.js';
import type { ColumnDef } from './schema.js';

/** Random-access rows of one GetConnector: generated rows first, then the database table. */
export interface RowSource {
  readonly size: number;
  value(index: number, column: string): Value;
  /** A fast accessor for scanning one column of every row (generated values are cached per column). */
  reader(column: string): (index: number) => Value;
  /** Changes whenever the rows may have changed; caches key on it. */
  readonly signature: string;
}

/** Deterministic read-only rows: `value(i, column)` is a pure function of the row index. */
export interface GeneratedRows {
  readonly size: number;
  value(index: number, column: string): Value;
  /** Every value of a column, computed once and kept (for scans and sorts). */
  column(column: string): readonly Value[];
}

const arrayIds = new WeakMap<object, number>();
let nextArrayId = 1;
function arrayId(rows: readonly Row[]): number {
  let id = arrayIds.get(rows);
  if (id === undefined) {
    id = nextArrayId++;
    arrayIds.set(rows, id);
  }
  return id;
}

/**
 * The rows a GetConnector reads right now (a cheap view; nothing is copied): `generated` rows
 * first, then the table's; `version` counts writes to the table.
 */
export function rowSource(
  db: SimDatabase,
  table: string,
  { generated, version }: { generated: GeneratedRows | undefined; version: number },
): RowSource {
  const rows = db.rows(table);
  const offset = generated?.size ?? 0;
  return {
    size: offset + rows.length,
    // db.rows() of a table never written is a fresh empty array on every call: do not key on it.
    signature: `${offset}:${rows.length === 0 ? 0 : arrayId(rows)}:${rows.length}:${version}`,
    value(index, column) {
      if (index < offset) return (generated as GeneratedRows).value(index, column);
      return rows[index - offset]?.[column] ?? null;
    },
    reader(column) {
      if (!generated) return (index) => rows[index]?.[column] ?? null;
      const values = generated.column(column);
      return (index) =>
        index < offset ? (values[index] as Value) : (rows[index - offset]?.[column] ?? null);
    },
  };
}

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
const DAY_MS = 86_400_000;
const BASE_DAY = Date.UTC(2020, 0, 1);
const dayCache: string[] = [];
function day(offset: number): string {
  let text = dayCache[offset];
  if (text === undefined) {
    text = new Date(BASE_DAY + offset * DAY_MS).toISOString().slice(0, 10);
    dayCache[offset] = text;
  }
  return text;
}
const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

function hash(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x27d4eb2f, 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

/**
 * Generates `count` rows for a table from its column types: the first int column counts 1..N,
 * the first string column is a unique code, other columns are hashed from (row, column) so the
 * same seed always produces the same rows. Later string columns are null in about 1 of 7 rows.
 */
export function generateRows(columns: readonly ColumnDef[], count: number): GeneratedRows {
  const firstInt = columns.find((c) => c.dataType === 'int')?.id;
  const firstString = columns.find((c) => c.dataType === 'string')?.id;
  const position = new Map(columns.map((c, i) => [c.id, i]));
  const byId = new Map(columns.map((c) => [c.id, c]));
  const cache = new Map<string, Value[]>();
  const rows: GeneratedRows = {
    size: count,
    column(column) {
      let values = cache.get(column);
      if (!values) {
        values = new Array<Value>(count);
        for (let i = 0; i < count; i++) values[i] = rows.value(i, column);
        cache.set(column, values);
      }
      return values;
    },
    value(index, column) {
      const def = byId.get(column);
      if (!def) return null;
      const col = position.get(column) ?? 0;
      const h = hash(index, col);
      switch (def.dataType) {
        case 'int':
          return column === firstInt ? index + 1 : h % 1000;
        case 'decimal':
          return ((h % 2_000_000) - 500_000) / 100;
        case 'boolean':
          return (h & 1) === 0;
        case 'date': {
          const date = day(h % 2192);
          if (!def.datetime) return date;
          const seconds = (h >>> 11) % 86_400;
          return `${date}T${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
        }
        case 'blob':
          return null;
        default: {
          if (column === firstString) return `C${String(index + 1).padStart(7, '0')}`;
          if (col >= 3 && h % 7 === 0) return null;
          if (def.length <= 20) return WORDS[h % WORDS.length] as string;
          return `${WORDS[h % WORDS.length]} ${WORDS[(h >>> 8) % WORDS.length]} ${(h >>> 16) % 1000}`;
        }
      }
    },
  };
  return rows;
}
