import { AfasQueryError } from './errors.js';
import type { FilterCondition } from './filter.js';
import { toWireFilter, type WireFilter } from './filter.js';
import { type GetReader, getPage, type PagedOptions, resolvePaged, wirePages } from './get-connector.js';
import { intBoundaries, stringBoundaries } from './key-range.js';
import { prefetch } from './prefetch.js';
import type { Row } from './typed-row.js';

/** Options of a key-range sliced parallel read. */
export interface SliceOptions extends Omit<PagedOptions, 'orderBy'> {
  /** A unique, sortable int or string column; rows come back sorted on it (ascending). */
  key: string;
  /** Number of key ranges read in parallel (still within the environment's in-flight cap); default 4. */
  slices?: number;
  /** Pages buffered ahead per slice; default 2. */
  prefetchPages?: number;
}

/** The key ranges of a sliced read: OR-ed groups of the filter, each AND-ed with `lower <= key < upper`. */
export function sliceFilters(
  filter: WireFilter,
  key: string,
  boundaries: ReadonlyArray<string | number>,
): WireFilter[] {
  const base = filter.length === 0 ? [[]] : filter;
  const out: WireFilter[] = [];
  for (let i = 0; i <= boundaries.length; i++) {
    const range: FilterCondition[] = [];
    if (i > 0) range.push({ field: key, op: 'gte', value: boundaries[i - 1] });
    if (i < boundaries.length) range.push({ field: key, op: 'lt', value: boundaries[i] });
    const wire = toWireFilter([range])[0] ?? [];
    out.push(base.map((group) => [...group, ...wire]));
  }
  return out;
}

/**
 * Read a GetConnector in parallel key ranges: probe the smallest and largest key, split the range
 * into `slices`, read every slice (paged, sorted on the key) concurrently, and yield all rows in key
 * order. Ranges are contiguous and disjoint, so no row is read twice or missed.
 */
export async function* sliced(
  reader: GetReader,
  connector: string,
  options: SliceOptions,
): AsyncGenerator<Row> {
  const slices = options.slices ?? 4;
  if (!Number.isInteger(slices) || slices < 1 || slices > 64) {
    throw new AfasQueryError(`Expected \`slices\` to be an integer from 1 to 64, got ${slices}.`);
  }
  const resolved = await resolvePaged(reader, connector, { ...options, orderBy: [options.key] });
  const probe = (order: string) =>
    getPage(reader, connector, {
      filter: options.filter,
      orderBy: [order],
      take: 1,
      mode: options.mode,
      signal: options.signal,
    });
  const [low, high] = await Promise.all([probe(options.key), probe(`-${options.key}`)]);
  const min = low.rows[0]?.[options.key];
  const max = high.rows[0]?.[options.key];
  if (min === undefined || max === undefined) return;
  let boundaries: Array<string | number>;
  if (typeof min === 'number' && typeof max === 'number') boundaries = intBoundaries(min, max, slices);
  else if (typeof min === 'string' && typeof max === 'string')
    boundaries = stringBoundaries(min, max, slices);
  else {
    throw new AfasQueryError(
      `Expected key ${options.key} of ${connector} to be an int or string column, got ${typeof min} values.`,
    );
  }
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const readers = sliceFilters(resolved.filter, options.key, boundaries).map((filter) =>
    prefetch(wirePages(reader, connector, { ...resolved, filter, signal }), options.prefetchPages ?? 2),
  );
  try {
    for (const slice of readers) {
      for await (const page of slice) yield* page;
    }
  } finally {
    for (const slice of readers) slice.stop();
    controller.abort(new Error('sliced read finished'));
  }
}
