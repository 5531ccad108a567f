import type { SourceRecord } from '../record.js';
import { ClosedKeys } from './closed-keys.js';

/** Contiguous rows sharing a group key; `reappeared` when the key was already closed earlier. */
export interface RowGroup {
  records: SourceRecord[];
  /** Set when this key already formed a group that ended before; names where that group started. */
  reappeared?: { firstLine: number; file: string };
}

const text = (value: unknown): string =>
  value === undefined || value === null
    ? ''
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

/**
 * Gathers CONTIGUOUS records with equal `groupBy` values into groups, one push at a time (one
 * record per group when groupBy is undefined). Memory: the open group plus the keys of closed groups
 * with the line where each started (ClosedKeys: ascending numeric keys in compact runs, other keys
 * on disk beyond 64k), so a key that reappears later is reported with both lines. close() when done.
 */
export class RowGrouper {
  readonly #groupBy: readonly string[] | undefined;
  readonly #single: string | undefined;
  readonly #closed = new ClosedKeys();
  #open: SourceRecord[] = [];
  #openKey = '';
  #first: ((record: SourceRecord) => void) | undefined;

  /** `first` sees the first record before it is grouped (a header check may throw there). */
  constructor(groupBy: readonly string[] | undefined, first?: (record: SourceRecord) => void) {
    this.#groupBy = groupBy;
    this.#single = groupBy?.length === 1 ? groupBy[0] : undefined;
    this.#first = first;
  }

  /** Adds a record; returns the group it closed, if any. */
  push(record: SourceRecord): RowGroup | undefined {
    if (this.#first) {
      this.#first(record);
      this.#first = undefined;
    }
    const groupBy = this.#groupBy;
    if (!groupBy) return { records: [record] };
    const key =
      this.#single !== undefined
        ? text(record.fields[this.#single])
        : groupBy.map((column) => text(record.fields[column])).join('\u0000');
    let closed: RowGroup | undefined;
    if (this.#open.length && key !== this.#openKey) closed = this.flush();
    this.#openKey = key;
    this.#open.push(record);
    return closed;
  }

  /** Closes the open group (at the end of the input); undefined when there is none. */
  flush(): RowGroup | undefined {
    const records = this.#open;
    const first = records[0];
    if (!first) return undefined;
    this.#open = [];
    const group: RowGroup = { records };
    const earlier = this.#closed.get(this.#openKey);
    if (earlier !== undefined) group.reappeared = { firstLine: earlier, file: first.origin.file };
    else this.#closed.set(this.#openKey, first.origin.line);
    return group;
  }

  /** Releases the closed keys' files (kept on disk beyond 64k keys); call it when the input ends or stops. */
  close(): void {
    this.#closed.close();
  }
}

/** Streams the groups of RowGrouper over an iterable of records. */
export async function* groupRows(
  records: AsyncIterable<SourceRecord> | Iterable<SourceRecord>,
  groupBy: readonly string[] | undefined,
): AsyncGenerator<RowGroup> {
  const grouper = new RowGrouper(groupBy);
  try {
    for await (const record of records) {
      const group = grouper.push(record);
      if (group) yield group;
    }
    const last = grouper.flush();
    if (last) yield last;
  } finally {
    grouper.close();
  }
}
