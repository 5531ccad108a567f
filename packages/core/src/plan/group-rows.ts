import type { SourceRecord } from '../record.js';

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
 * Gathers CONTIGUOUS records with equal `groupBy` values into groups (one record per group when
 * groupBy is undefined). Memory: the open group plus a Map of closed keys to the line where each
 * group started (bounded by the number of documents, not rows), so a key that reappears later is
 * reported with both lines.
 */
export async function* groupRows(
  records: AsyncIterable<SourceRecord> | Iterable<SourceRecord>,
  groupBy: readonly string[] | undefined,
): AsyncGenerator<RowGroup> {
  if (!groupBy) {
    for await (const record of records) yield { records: [record] };
    return;
  }
  const closed = new Map<string, number>();
  let open: SourceRecord[] = [];
  let openKey = '';
  const single = groupBy.length === 1 ? groupBy[0] : undefined;
  const flush = (): RowGroup => {
    const first = open[0] as SourceRecord;
    const earlier = closed.get(openKey);
    const group: RowGroup = { records: open };
    if (earlier !== undefined) group.reappeared = { firstLine: earlier, file: first.origin.file };
    else closed.set(openKey, first.origin.line);
    return group;
  };
  for await (const record of records) {
    const key =
      single !== undefined
        ? text(record.fields[single])
        : groupBy.map((column) => text(record.fields[column])).join('\u0000');
    if (open.length && key !== openKey) {
      yield flush();
      open = [];
    }
    openKey = key;
    open.push(record);
  }
  if (open.length) yield flush();
}
