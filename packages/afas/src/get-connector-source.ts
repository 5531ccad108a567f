import { type FieldValue, JsonNumber, type SourceRecord } from '@koppel/core';
import { amsterdamOffsetMs, formatAfasDateTime, parseAfasDate } from './dates.js';
import { AfasQueryError } from './errors.js';
import { type Filter, toWireFilter, type WireCondition, type WireFilter } from './filter.js';
import { type GetReader, getPage, pages, sizeTake } from './get-connector.js';
import { type FilterMode, planFilter } from './get-query.js';
import { intBoundaries, stringBoundaries } from './key-range.js';
import { prefetch } from './prefetch.js';
import { mergeSorted, parseOrderBy, type SortKey } from './row-order.js';
import { sliceFilters } from './slices.js';
import type { Row } from './typed-row.js';

/** Options of `readGetConnector`. */
export interface GetConnectorReadOptions {
  /** OR-ed groups of AND-ed conditions; default none. */
  filter?: Filter;
  /** Sort fields (`-Field` descending); required. The first pages by key and slices parallel reads. */
  sort: readonly string[];
  /** Rows to read at most; default all. */
  limit?: number;
  /** Key ranges of the first sort field read at the same time (1-64, within the client's in-flight cap); default 1. */
  parallel?: number;
  /** Rows per request; default 150000 / columns, at most 10000. */
  pageSize?: number;
  /** `key`: page with a filter past the last row's sort key (no skip); `skip`: skip/take; default `key`. */
  paging?: 'key' | 'skip';
  /** Largest skip of `skip` paging; default 100000. */
  maxSkip?: number;
  /** Pages buffered ahead per parallel slice; default 4. */
  prefetchPages?: number;
  /** Aborts the read. */
  signal?: AbortSignal;
}

/** Options of `getConnectorRanges`. */
export interface GetConnectorRangesOptions<T = Row[]> extends GetConnectorReadOptions {
  /**
   * Turns each page of range `range` (0-based) into what is buffered and yielded, synchronously as
   * soon as it arrives (an error thrown here ends that range with it); default the rows.
   */
  mapPage?: (rows: Row[], range: number) => T;
}

/** Longest cursor value planned for on the URL, in characters (longer keys may not fit). */
const CURSOR_RESERVE = 64;

/** A row value as a filter value: numbers as text, AFAS datetimes without the misleading `Z`. */
function wireValue(value: unknown): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  const text = String(value);
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(text) ? text.slice(0, -1) : text;
}

const withCondition = (filter: WireFilter, condition: WireCondition): WireFilter =>
  (filter.length === 0 ? [[]] : filter).map((group) => [...group, condition]);

interface KeyPagedOptions {
  filter: WireFilter;
  mode: FilterMode;
  orderBy: string[];
  take: number;
  signal?: AbortSignal | undefined;
}

/**
 * Pages of one filter part, each request filtering past the previous page's last sort key
 * (`>` for a single sort field, `>=` plus de-duplication of the sort tuple otherwise): no skip, so
 * rows inserted or deleted during the read never shift a row into or out of a page.
 */
async function* keyPaged(
  reader: GetReader,
  connector: string,
  options: KeyPagedOptions,
): AsyncGenerator<Row[]> {
  const keys = parseOrderBy(options.orderBy);
  const first = keys[0] as SortKey;
  const single = keys.length === 1;
  const operator = first.descending ? (single ? 5 : 3) : single ? 4 : 2;
  const identity = (row: Row) => JSON.stringify(keys.map((key) => row[key.field] ?? null));
  let cursor: unknown;
  let atCursor = new Set<string>();
  for (;;) {
    const filter =
      cursor === undefined
        ? options.filter
        : withCondition(options.filter, { field: first.field, operator, value: wireValue(cursor) });
    const query = { skip: 0, take: options.take, orderBy: options.orderBy, filter, mode: options.mode };
    const page = await reader.fetchPage(connector, query, options.signal);
    const fresh = page.rows.filter((row) => row[first.field] !== cursor || !atCursor.has(identity(row)));
    if (fresh.length > 0) yield fresh;
    if (page.rows.length < options.take) return;
    const last = page.rows[page.rows.length - 1] as Row;
    if (fresh.length === 0 || last[first.field] === null || last[first.field] === undefined) {
      throw new AfasQueryError(
        `Expected ${connector} rows to page on ${first.field}, got a full page of ${options.take} rows ending in the same or an empty ${first.field}; sort on a unique, non-empty field first or raise page_size.`,
      );
    }
    if (last[first.field] !== cursor) atCursor = new Set();
    cursor = last[first.field];
    for (const row of page.rows) if (row[first.field] === cursor) atCursor.add(identity(row));
  }
}

async function* flatten(source: AsyncIterable<Row[]>): AsyncGenerator<Row> {
  for await (const page of source) yield* page;
}

/** Every page of a wire filter read with key paging; a filter too long for one URL is split and merged. */
async function* keyPagedFilter(
  reader: GetReader,
  connector: string,
  options: Omit<KeyPagedOptions, 'mode'>,
): AsyncGenerator<Row[]> {
  const first = parseOrderBy(options.orderBy)[0] as SortKey;
  const placeholder = { field: first.field, operator: 2, value: '9'.repeat(CURSOR_RESERVE) };
  const planned = planFilter(withCondition(options.filter, placeholder), { orderBy: options.orderBy });
  const parts = planned.parts.map((part) => ({
    mode: part.mode,
    filter: part.filter.map((group) => group.slice(0, -1)).filter((group) => group.length > 0),
  }));
  if (parts.length === 1) {
    yield* keyPaged(reader, connector, { ...options, ...(parts[0] as (typeof parts)[0]) });
    return;
  }
  const streams = parts.map((part) => flatten(keyPaged(reader, connector, { ...options, ...part })));
  let chunk: Row[] = [];
  for await (const row of mergeSorted(streams, parseOrderBy(options.orderBy))) {
    chunk.push(row);
    if (chunk.length === options.take) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

interface ResolvedRead {
  orderBy: string[];
  take: number;
  maxSkip: number;
  paging: 'key' | 'skip';
  signal?: AbortSignal | undefined;
}

/** The pages of one key range (its wire filter), read with the resolved paging. */
function readFilter(
  reader: GetReader,
  connector: string,
  read: ResolvedRead & { filter: WireFilter },
): AsyncIterable<Row[]> {
  const { filter } = read;
  if (read.paging === 'key') return keyPagedFilter(reader, connector, read);
  const wire = filter.map((group) => group.map((c) => ({ field: c.field, op: c.operator, value: c.value })));
  return pages(reader, connector, {
    orderBy: read.orderBy,
    filter: wire,
    pageSize: read.take,
    maxSkip: read.maxSkip,
    signal: read.signal,
  });
}

/** What `boundariesOf` probes: the range's filter, the key (first sort field) and the number of slices. */
interface BoundaryProbe {
  filter: WireFilter;
  key: string;
  slices: number;
}

/** Boundaries splitting the key's smallest..largest value into `slices` ranges; undefined when no row has a key. */
async function boundariesOf(
  reader: GetReader,
  connector: string,
  { filter, key, slices }: BoundaryProbe,
): Promise<Array<string | number> | undefined> {
  const present = withCondition(filter, { field: key, operator: 9, value: '' });
  const wire = present.map((group) => group.map((c) => ({ field: c.field, op: c.operator, value: c.value })));
  const probe = (order: string) => getPage(reader, connector, { filter: wire, orderBy: [order], take: 1 });
  const [low, high] = await Promise.all([probe(key), probe(`-${key}`)]);
  const min = low.rows[0]?.[key];
  const max = high.rows[0]?.[key];
  if (min === undefined || max === undefined || min === null || max === null) return undefined;
  if (typeof min === 'number' && typeof max === 'number') return intBoundaries(min, max, slices);
  if (typeof min === 'string' && typeof max === 'string' && !/Z$/.test(min))
    return stringBoundaries(min, max, slices);
  throw new AfasQueryError(
    `Expected the first sort field ${key} of ${connector} to be an int or string column to read it in parallel, got ${JSON.stringify(min)}; sort on a numeric or text key, or set parallel: 1.`,
  );
}

/**
 * The key ranges of a read, each as pages of rows in sort order: one range, or `parallel`
 * contiguous ranges of the first sort field (probed for its smallest and largest value). Every
 * range starts reading at once, `prefetchPages` ahead of its reader; `stop()` ends one early.
 * With `mapPage` each page is turned into what is buffered (its output text, say) as soon as it
 * arrives, so buffered pages are not kept as rows.
 * Reading the ranges one after the other gives the sorted read; draining them at once is the
 * parallel read.
 */
export async function getConnectorRanges<T = Row[]>(
  reader: GetReader,
  connector: string,
  options: GetConnectorRangesOptions<T>,
): Promise<Array<AsyncIterable<T> & { stop(): void }>> {
  const keys = parseOrderBy(options.sort);
  const first = keys[0];
  if (!first) {
    throw new AfasQueryError(
      `Expected a sort for GetConnector ${connector}, got none: without one AFAS may return rows twice or not at all. Add sort: [<unique field>].`,
    );
  }
  const parallel = options.parallel ?? 1;
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > 64) {
    throw new AfasQueryError(`Expected \`parallel\` to be an integer from 1 to 64, got ${parallel}.`);
  }
  if (parallel > 1 && first.descending) {
    throw new AfasQueryError(
      `Expected an ascending first sort field to read ${connector} in parallel, got -${first.field}; sort ascending or set parallel: 1.`,
    );
  }
  const read: ResolvedRead = {
    orderBy: keys.map((key) => (key.descending ? `-${key.field}` : key.field)),
    take: await sizeTake(reader, connector, { pageSize: options.pageSize, signal: options.signal }),
    maxSkip: options.maxSkip ?? 100_000,
    paging: options.paging ?? 'key',
    signal: options.signal,
  };
  const filter = toWireFilter(options.filter);
  const boundaries =
    (parallel > 1
      ? await boundariesOf(reader, connector, { filter, key: first.field, slices: parallel })
      : []) ?? [];
  // Rows whose key is empty match no range comparison (SQL NULL); they sort first, so they get a range of their own.
  const empty = withCondition(filter, { field: first.field, operator: 8, value: '' });
  const filters =
    boundaries.length === 0 ? [filter] : [empty, ...sliceFilters(filter, first.field, boundaries)];
  const mapPage = options.mapPage ?? ((rows: Row[]) => rows as T);
  return filters.map((part, index) =>
    prefetch(
      mapPages(readFilter(reader, connector, { ...read, filter: part }), {
        map: (rows) => mapPage(rows, index),
        // One range: its next request waits for nobody; several: the others' requests fill the gap.
        ahead: filters.length === 1,
      }),
      options.prefetchPages ?? 4,
    ),
  );
}

/**
 * `map` of every page; with `ahead`, the request of the next page is already on its way while one
 * is mapped.
 */
async function* mapPages<T>(
  source: AsyncIterable<Row[]>,
  { map, ahead }: { map: (rows: Row[]) => T; ahead: boolean },
): AsyncGenerator<T> {
  if (!ahead) {
    for await (const rows of source) yield map(rows);
    return;
  }
  const pages = source[Symbol.asyncIterator]();
  let next = pages.next();
  try {
    for (;;) {
      const page = await next;
      if (page.done) return;
      next = pages.next();
      yield map(page.value);
    }
  } finally {
    // Stopped early (or map threw): the page asked for ahead is not wanted; its failure is not news.
    next.catch(() => undefined);
    pages.return?.()?.catch(() => undefined);
  }
}

/**
 * Read a GetConnector completely, sorted: page by key (or skip/take), optionally in `parallel`
 * contiguous key ranges of the first sort field read at the same time and yielded in key order.
 * Every row that exists for the whole read is yielded exactly once, even while rows are inserted.
 */
export async function* readGetConnector(
  reader: GetReader,
  connector: string,
  options: GetConnectorReadOptions,
): AsyncGenerator<Row> {
  const limit = options.limit && options.limit > 0 ? options.limit : Number.POSITIVE_INFINITY;
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const readers = await getConnectorRanges(reader, connector, { ...options, signal });
  let count = 0;
  try {
    for (const slice of readers) {
      for await (const page of slice) {
        for (const row of page) {
          if (count >= limit) return;
          count++;
          yield row;
        }
      }
    }
  } finally {
    for (const slice of readers) slice.stop();
    controller.abort(new Error('GetConnector read finished'));
  }
}

const pad = (n: number) => String(Math.floor(n)).padStart(2, '0');

/** An instant as Amsterdam local time with its offset, e.g. `2024-03-31T03:30:00+02:00`. */
export function formatAmsterdamOffset(date: Date): string {
  return `${formatAfasDateTime(date)}${offsetText(amsterdamOffsetMs(date.getTime()))}`;
}

const offsetText = (offsetMs: number): string => {
  const minutes = Math.abs(offsetMs) / 60_000;
  return `${offsetMs < 0 ? '-' : '+'}${pad(minutes / 60)}:${pad(minutes % 60)}`;
};

/** `0` where `YYYY-MM-DDTHH:MM:SS` has a digit, else the character code it must have. */
const SHAPE = Array.from('0000-00-00T00:00:00', (c) => (c === '0' ? 0 : c.charCodeAt(0)));

/** Whether `value` (from `0` to `length`) has the shape of SHAPE's first `length` characters. */
function hasShape(value: string, length: number): boolean {
  for (let i = 0; i < length; i++) {
    const c = value.charCodeAt(i);
    const want = SHAPE[i] as number;
    if (want === 0 ? c < 48 || c > 57 : c !== want) return false;
  }
  return true;
}

/** Wall-clock text of the last Sunday of a month at `hour`, e.g. `2024-03-31T02:00:00`. */
function lastSunday(year: number, month: number, hour: number): string {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return new Date(Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), hour))
    .toISOString()
    .slice(0, 19);
}

const transitions = new Map<number, [string, string, string]>();

function transitionsOf(year: number): [string, string, string] {
  let changes = transitions.get(year);
  if (!changes) {
    changes = [lastSunday(year, 2, 2), lastSunday(year, 2, 3), lastSunday(year, 9, 3)];
    transitions.set(year, changes);
  }
  return changes;
}

/** The offset of a whole day (YYYYMMDD as a number), or null on the two days a year the clock changes. */
const dayOffsets = new Map<number, string | null>();

/**
 * The EU rule Amsterdam follows since 1996, on wall-clock text: summer time from the last Sunday
 * of March 03:00 to the last Sunday of October 03:00 (the repeated hour before it takes the
 * earlier, summer-time instant, as `parseAfasDate` does). The spring gap (02:00-03:00, times that
 * do not exist) is left to the slow path. A day's offset is kept once known (a scan of 10,000
 * rows meets the same days again and again); only the days of a change compare the time.
 */
function fastAmsterdam(value: string): string | undefined {
  const bare = value.charCodeAt(value.length - 1) === 90 ? value.length - 1 : value.length; // 'Z'
  if ((bare !== 10 && bare !== 19) || !hasShape(value, bare)) return undefined;
  const wall =
    bare === 10 ? `${value.slice(0, 10)}T00:00:00` : bare === value.length ? value : value.slice(0, 19);
  const year = Number(wall.slice(0, 4));
  if (year < 1996) return undefined;
  const key = year * 10_000 + Number(wall.slice(5, 7)) * 100 + Number(wall.slice(8, 10));
  let offset = dayOffsets.get(key);
  if (offset === undefined) {
    const [gap, , winter] = transitionsOf(year);
    const day = wall.slice(0, 10);
    const gapDay = gap.slice(0, 10);
    const winterDay = winter.slice(0, 10);
    offset =
      day === gapDay || day === winterDay ? null : day > gapDay && day < winterDay ? '+02:00' : '+01:00';
    if (dayOffsets.size >= 100_000) dayOffsets.clear();
    dayOffsets.set(key, offset);
  }
  if (offset !== null) return `${wall}${offset}`;
  const [gap, summer, winter] = transitionsOf(year);
  if (wall >= gap && wall < summer) return undefined;
  return `${wall}${wall >= summer && wall < winter ? '+02:00' : '+01:00'}`;
}

/** An AFAS date value (`2024-03-31T03:30:00Z`, the Z meaning Amsterdam) as local time with offset. */
function amsterdamText(value: string): string {
  const fast = fastAmsterdam(value);
  if (fast !== undefined) return fast;
  const date = parseAfasDate(value);
  return date ? formatAmsterdamOffset(date) : value;
}

/** A GetConnector value as a source value: numbers keep their text, `date` fields become Amsterdam time with offset. */
export function getConnectorValue(value: unknown, dataType: string | undefined): FieldValue {
  if (value === null || value === undefined) return null;
  if (dataType === 'date' && typeof value === 'string') return amsterdamText(value);
  if (typeof value === 'number') return new JsonNumber(String(value));
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/** Options of `getConnectorRecords`. */
export interface GetConnectorRecordsOptions {
  /** Columns to keep, in order; default every column of the row. */
  columns?: readonly string[];
  /** Data type per column (get metainfo `dataType`); `date` columns are converted. */
  types: ReadonlyMap<string, string>;
}

/** GetConnector rows as core SourceRecords with origin `GetConnector:<id>`, line = row number. */
export async function* getConnectorRecords(
  connector: string,
  rows: AsyncIterable<Row>,
  options: GetConnectorRecordsOptions,
): AsyncGenerator<SourceRecord> {
  let index = 0;
  const file = `GetConnector:${connector}`;
  for await (const row of rows) {
    const fields: Record<string, FieldValue> = Object.create(null);
    for (const column of options.columns ?? Object.keys(row)) {
      fields[column] = getConnectorValue(row[column], options.types.get(column));
    }
    yield { fields, origin: { file, line: index + 1, index } };
    index++;
  }
}
