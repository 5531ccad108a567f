import type { Row, SimDatabase, Value } from '../db.js';
import type { Language } from '../language.js';
import { TABLES, type TableName } from '../schema.js';
import type { ResolvedOptions } from './options.js';
import { forgetRows, lookup, maxOf, type Where } from './scan-cache.js';

/** Everything a connector needs while it applies one request (inside the transaction). */
export class UpdateContext {
  readonly db: SimDatabase;
  readonly language: Language;
  readonly options: ResolvedOptions;
  /** Amsterdam local time of the request, used for CreateDate/ModifiedDate. */
  readonly now: string;
  readonly #meta: { connector: string; method: 'POST' | 'PUT' | 'DELETE' };

  constructor(init: {
    db: SimDatabase;
    language: Language;
    options: ResolvedOptions;
    connector: string;
    method: 'POST' | 'PUT' | 'DELETE';
  }) {
    this.db = init.db;
    this.language = init.language;
    this.options = init.options;
    this.now = init.db.clock.now();
    this.#meta = { connector: init.connector, method: init.method };
  }

  /**
   * Inserts a row with every column of the table (null when absent, false for booleans), then the
   * row's other columns (free fields), stamping CreateDate/ModifiedDate when the table has them.
   */
  insert(table: TableName, row: Row): Row {
    const full: Row = {};
    for (const column of TABLES[table] as readonly { id: string; dataType: string }[]) {
      full[column.id] = row[column.id] ?? (column.dataType === 'boolean' ? false : null);
    }
    for (const [column, value] of Object.entries(row)) if (!(column in full)) full[column] = value;
    const stamped = audited(table) ? { ...full, CreateDate: this.now, ModifiedDate: this.now } : full;
    return this.db.insert(table, stamped, this.#meta);
  }

  /** Updates matching rows, stamping ModifiedDate when the table has it. */
  update(table: TableName, where: (row: Row) => boolean, changes: Row): Row[] {
    if (Object.keys(changes).length === 0) return this.db.rows(table).filter(where) as Row[];
    const stamped = audited(table) ? { ...changes, ModifiedDate: this.now } : changes;
    return this.db.update(table, { where, changes: stamped }, this.#meta);
  }

  /** Updates rows already found (through `lookup`), stamping ModifiedDate when the table has it: no table scan. */
  updateRows(table: TableName, rows: readonly Row[], changes: Row): Row[] {
    if (Object.keys(changes).length === 0 || rows.length === 0) return [...rows];
    const stamped = audited(table) ? { ...changes, ModifiedDate: this.now } : changes;
    return this.db.updateRows(table, { rows, changes: stamped }, this.#meta);
  }

  remove(table: TableName, where: (row: Row) => boolean): Row[] {
    const removed = this.db.delete(table, where, this.#meta);
    forgetRows(this.db, table, removed);
    return removed;
  }

  /** Deletes rows already found (through `lookup`); the indexes stay incremental. */
  removeRows(table: TableName, rows: readonly Row[]): Row[] {
    const removed = this.db.deleteRows(table, rows, this.#meta);
    forgetRows(this.db, table, removed);
    return removed;
  }

  /** Inserts a row into a catalogued connector's own table (`catalog:{Id}`, any columns). */
  insertLoose(table: string, row: Row): Row {
    return this.db.insert(table, row, this.#meta);
  }

  updateLoose(table: string, where: (row: Row) => boolean, changes: Row): Row[] {
    return this.db.update(table, { where, changes }, this.#meta);
  }

  removeLoose(table: string, where: (row: Row) => boolean): Row[] {
    const removed = this.db.delete(table, where, this.#meta);
    forgetRows(this.db, table, removed);
    return removed;
  }

  /** Rows of any table whose `column` equals `value`, through the incremental index. */
  lookupLoose(table: string, column: string, value: Value): Row[] {
    return lookup(this.db, table, { column, value });
  }

  find(table: TableName, where: (row: Row) => boolean): Row[] {
    return this.db.rows(table).filter(where);
  }

  /** Rows whose `column` equals `value` (an incremental index; for key columns the engine never updates). */
  lookup(table: TableName, column: string, value: Value): Row[] {
    return lookup(this.db, table, { column, value });
  }

  /**
   * The next number of a counter, never below `start + 1` nor at or below a number already in
   * `columns` of `tables` (seeded rows keep their keys); `group` restricts that to rows where a
   * column has a value (EnNo per administration).
   */
  nextNumber(counter: string, { start, sources, group }: NextNumberOptions): number {
    let max = start;
    for (const [table, column] of sources) {
      max = Math.max(max, maxOf(this.db, table, { column, group }));
    }
    this.db.bump(counter, max);
    return this.db.next(counter, start);
  }
}

/** Where UpdateContext.nextNumber starts and which key columns it stays above. */
export interface NextNumberOptions {
  /** The number before the first one handed out. */
  start: number;
  /** Table and column pairs whose numbers the counter stays above. */
  sources: [TableName, string][];
  /** Only rows where this column has this value count (EnNo per administration). */
  group?: Where;
}

function audited(table: TableName): boolean {
  return (TABLES[table] as readonly { id: string }[]).some((column) => column.id === 'CreateDate');
}
