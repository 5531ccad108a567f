import type { MappedItem } from '../pipeline/document.js';
import { KeyLines } from '../pipeline/key-lines.js';

/** Options of UniqueKeys. */
export interface UniqueKeysOptions {
  /** Keys held in memory before the set moves to disk; default KeyLines' 65536. */
  memoryKeys?: number;
}

/**
 * The duplicate-key check of the mapping stage, shared by plan, test, the pre-flight and runs:
 * the first item with a key passes; a later one with the same key (a duplicate, or a group that
 * reappears) becomes a reject under its own ledger key `${key} (line N)`, so the first record's
 * state is never overwritten. Memory does not grow with the input (KeyLines spills to disk).
 * close() when done.
 */
export class UniqueKeys {
  readonly #seen: KeyLines;

  constructor(options: UniqueKeysOptions = {}) {
    this.#seen = new KeyLines(options.memoryKeys === undefined ? {} : { memoryKeys: options.memoryKeys });
  }

  /** The item itself, or the reject it becomes when its key was seen before in this input. */
  check(item: MappedItem): MappedItem {
    const { key, records } = 'reject' in item ? item.reject : item.document;
    const line = records[0]?.origin.line ?? 0;
    const first = this.#seen.get(key);
    if (first === undefined) {
      this.#seen.set(key, line);
      return item;
    }
    const message =
      'reject' in item
        ? item.reject.message
        : `duplicate key \`${key}\`: first seen at line ${first}; keys must be unique in an input`;
    return { reject: { key: `${key} (line ${line})`, records, message } };
  }

  /** Deletes the spill files; idempotent. */
  close(): void {
    this.#seen.close();
  }
}

/** Streams `items` through UniqueKeys (for item sources other than mapRecords, e.g. tests). */
export async function* uniqueKeys(
  items: AsyncIterable<MappedItem> | Iterable<MappedItem>,
): AsyncGenerator<MappedItem> {
  const unique = new UniqueKeys();
  try {
    for await (const item of items) yield unique.check(item);
  } finally {
    unique.close();
  }
}
