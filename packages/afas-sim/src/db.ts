import type { Clock } from './clock.js';

/** A stored value. Dates are `YYYY-MM-DD`, datetimes Amsterdam local `YYYY-MM-DDTHH:mm:ss`, decimals are numbers. */
export type Value = string | number | boolean | null;
export type Row = Record<string, Value>;

/** One write that UpdateConnectors committed: the journal tests use to assert exactly-once. */
export interface JournalEntry {
  /** 1-based, in commit order. */
  seq: number;
  /** Amsterdam local time of the commit. */
  at: string;
  connector: string;
  method: 'POST' | 'PUT' | 'DELETE';
  /** Table written. */
  table: string;
  action: 'insert' | 'update' | 'delete';
  /** The row as stored after the write (before it, for deletes). */
  row: Row;
}

/**
 * The simulator's in-memory database: named tables of rows. GetConnectors read tables;
 * UpdateConnectors write them inside `transaction`, so a request that fails validation part-way
 * leaves nothing behind (Profit validates and processes a body as one transaction).
 * Table and column names are listed in `schema.ts`.
 */
export class SimDatabase {
  readonly #tables = new Map<string, Row[]>();
  readonly #counters = new Map<string, number>();
  readonly #journal: JournalEntry[] = [];
  readonly clock: Clock;
  /** Undo log of the open transaction, newest last; undefined outside a transaction. */
  #undo: (() => void)[] | undefined;
  #undoCounters: Map<string, number> | undefined;
  #undoJournal = 0;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  /** The rows of a table (live array; do not mutate outside `transaction`). Unknown tables are empty. */
  rows(table: string): readonly Row[] {
    return this.#tables.get(table) ?? [];
  }

  tableNames(): string[] {
    return [...this.#tables.keys()];
  }

  /** Adds rows without journaling (seeding and generators). */
  seed(table: string, rows: Iterable<Row>): void {
    const target = this.#table(table);
    for (const row of rows) target.push(row);
  }

  /** Next value of a named counter, starting after `start` (e.g. BcCo numbering, EnNo). */
  next(counter: string, start = 0): number {
    const value = (this.#counters.get(counter) ?? start) + 1;
    this.#counters.set(counter, value);
    return value;
  }

  /** Makes sure a counter is at least `value` (after seeding rows with explicit keys). */
  bump(counter: string, value: number): void {
    if ((this.#counters.get(counter) ?? 0) < value) this.#counters.set(counter, value);
  }

  insert(table: string, row: Row, meta: Pick<JournalEntry, 'connector' | 'method'>): Row {
    const rows = this.#table(table);
    rows.push(row);
    this.#undo?.push(() => {
      const at = rows.lastIndexOf(row);
      if (at >= 0) rows.splice(at, 1);
    });
    this.#record({ ...meta, table, action: 'insert', row });
    return row;
  }

  /** Applies `changes` to every row matching `where`; returns the updated rows. */
  update(
    table: string,
    { where, changes }: { where: (row: Row) => boolean; changes: Row },
    meta: Pick<JournalEntry, 'connector' | 'method'>,
  ): Row[] {
    const updated: Row[] = [];
    for (const row of this.#table(table)) {
      if (!where(row)) continue;
      const before = { ...row };
      this.#undo?.push(() => {
        for (const key of Object.keys(row)) delete row[key];
        Object.assign(row, before);
      });
      Object.assign(row, changes);
      updated.push(row);
      this.#record({ ...meta, table, action: 'update', row: { ...row } });
    }
    return updated;
  }

  /** Applies `changes` to rows of `table` the caller already holds (found through an index): no scan. */
  updateRows(
    table: string,
    { rows, changes }: { rows: readonly Row[]; changes: Row },
    meta: Pick<JournalEntry, 'connector' | 'method'>,
  ): Row[] {
    for (const row of rows) {
      const before = { ...row };
      this.#undo?.push(() => {
        for (const key of Object.keys(row)) delete row[key];
        Object.assign(row, before);
      });
      Object.assign(row, changes);
      this.#record({ ...meta, table, action: 'update', row: { ...row } });
    }
    return [...rows];
  }

  delete(
    table: string,
    where: (row: Row) => boolean,
    meta: Pick<JournalEntry, 'connector' | 'method'>,
  ): Row[] {
    const rows = this.#table(table);
    const removed = rows.filter(where);
    if (removed.length === 0) return removed;
    this.#tables.set(
      table,
      rows.filter((row) => !removed.includes(row)),
    );
    this.#undo?.push(() => this.#tables.set(table, rows));
    for (const row of removed) this.#record({ ...meta, table, action: 'delete', row });
    return removed;
  }

  /** Deletes rows of `table` the caller already holds (found through an index), without a predicate scan. */
  deleteRows(table: string, gone: readonly Row[], meta: Pick<JournalEntry, 'connector' | 'method'>): Row[] {
    if (gone.length === 0) return [];
    const rows = this.#table(table);
    const next = rows.slice();
    const removed: Row[] = [];
    for (const row of gone) {
      const at = next.lastIndexOf(row);
      if (at < 0) continue;
      next.splice(at, 1);
      removed.push(row);
    }
    if (removed.length === 0) return removed;
    this.#tables.set(table, next);
    this.#undo?.push(() => this.#tables.set(table, rows));
    for (const row of removed) this.#record({ ...meta, table, action: 'delete', row });
    return removed;
  }

  /**
   * Runs `work` atomically: when it throws, every table, counter and journal entry written
   * inside is rolled back and the error rethrown. Not re-entrant.
   */
  transaction<T>(work: () => T): T {
    if (this.#undo) throw new Error('SimDatabase.transaction is not re-entrant');
    this.#undo = [];
    this.#undoCounters = new Map(this.#counters);
    this.#undoJournal = this.#journal.length;
    try {
      return work();
    } catch (error) {
      for (const undo of this.#undo.reverse()) undo();
      this.#counters.clear();
      for (const [name, value] of this.#undoCounters) this.#counters.set(name, value);
      this.#journal.length = this.#undoJournal;
      throw error;
    } finally {
      this.#undo = undefined;
      this.#undoCounters = undefined;
    }
  }

  /** Committed writes, oldest first. */
  journal(): readonly JournalEntry[] {
    return this.#journal;
  }

  /** Empties every table, counter and the journal. */
  clear(): void {
    this.#tables.clear();
    this.#counters.clear();
    this.#journal.length = 0;
  }

  #table(name: string): Row[] {
    let rows = this.#tables.get(name);
    if (!rows) {
      rows = [];
      this.#tables.set(name, rows);
    }
    return rows;
  }

  #record(entry: Omit<JournalEntry, 'seq' | 'at'>): void {
    this.#journal.push({ seq: this.#journal.length + 1, at: this.clock.now(), ...entry });
  }
}
