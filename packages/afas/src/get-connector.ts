import { AfasQueryError } from './errors.js';
import { type Filter, toWireFilter, type WireFilter } from './filter.js';
import { type FilterMode, type GetQuery, planFilter } from './get-query.js';
import type { GetMetainfo } from './metainfo-types.js';
import { mergeSorted, parseOrderBy } from './row-order.js';
import { type Row, typeRow } from './typed-row.js';

/** Rule of thumb from AFAS: columns x rows per call below this (reference §2.4). */
export const MAX_CELLS_PER_CALL = 150_000;
/** Beyond this skip AFAS gets too slow; slice by key instead. */
export const DEFAULT_MAX_SKIP = 100_000;

/** What the GetConnector functions need from a client. */
export interface GetReader {
  fetchPage(connector: string, query: GetQuery, signal?: AbortSignal): Promise<GetPage>;
  getMetainfo(connector: string, signal?: AbortSignal): Promise<GetMetainfo>;
}

/** One page as AFAS returns it. */
export interface GetPage<R = Row> {
  skip: number;
  take: number;
  rows: R[];
}

/** Options of a single GetConnector request. */
export interface GetOptions {
  /** OR-ed groups of AND-ed conditions. */
  filter?: Filter;
  /** Sort fields (`-Field` descending); required when `skip` > 0. */
  orderBy?: string | readonly string[];
  /** Rows to skip; default 0. */
  skip?: number;
  /** Rows to return; default 100 (AFAS's default). `skip: -1, take: -1` reads everything. */
  take?: number;
  /** Force the filter syntax; default `simple`, or `json` when a value contains `,` or `;` or the URL would be too long. */
  mode?: FilterMode;
  /** Convert values using get metainfo (dates to Date in Amsterdam time, numbers, booleans); default false. */
  typed?: boolean;
  /** Abort signal for the whole call. */
  signal?: AbortSignal;
}

/** Options of paged reads (`rows`, `pages`). */
export interface PagedOptions extends Omit<GetOptions, 'skip' | 'take'> {
  /** Sort fields; required, because paging without a sort can duplicate or drop rows. */
  orderBy: string | readonly string[];
  /** Rows per request; default and maximum floor(150000 / columns), at most 10000 by default. */
  pageSize?: number;
  /** Largest skip before the read stops with advice to slice by key; default 100000. */
  maxSkip?: number;
}

function orderList(orderBy: GetOptions['orderBy']): string[] {
  return parseOrderBy(orderBy).map((key) => (key.descending ? `-${key.field}` : key.field));
}

async function typer(
  reader: GetReader,
  connector: string,
  { typed, signal }: { typed?: boolean | undefined; signal?: AbortSignal | undefined },
) {
  if (!typed) return (row: Row) => row;
  const { fields } = await reader.getMetainfo(connector, signal);
  return (row: Row) => typeRow(row, fields);
}

/** Page size so that columns x take stays under 150,000 (default at most 10,000). */
export async function sizeTake(
  reader: GetReader,
  connector: string,
  options: { pageSize?: number | undefined; signal?: AbortSignal | undefined } = {},
): Promise<number> {
  const requested = options.pageSize;
  if (requested !== undefined && (!Number.isInteger(requested) || requested < 1)) {
    throw new AfasQueryError(`Expected \`pageSize\` to be an integer >= 1, got ${requested}.`);
  }
  const columns = Math.max(1, (await reader.getMetainfo(connector, options.signal)).fields.length);
  const limit = Math.max(1, Math.floor(MAX_CELLS_PER_CALL / columns));
  return Math.min(requested ?? Math.min(limit, 10_000), limit);
}

/** One GetConnector call; a filter too long for the URL is split and the union merged (needs `orderBy`, `skip` 0). */
export async function getPage(
  reader: GetReader,
  connector: string,
  options: GetOptions = {},
): Promise<GetPage> {
  const orderBy = orderList(options.orderBy);
  const skip = options.skip;
  const take = options.take;
  if (skip !== undefined && skip > 0 && orderBy.length === 0) {
    throw new AfasQueryError(
      `Expected \`orderBy\` when paging ${connector} (skip ${skip}): without a sort AFAS may return rows twice or not at all.`,
    );
  }
  if (skip !== undefined && skip > DEFAULT_MAX_SKIP) {
    throw new AfasQueryError(
      `Expected skip <= ${DEFAULT_MAX_SKIP} for ${connector}, got ${skip}; AFAS gets too slow there. Read it with slices() on a sortable key or narrow the filter.`,
    );
  }
  const filter = toWireFilter(options.filter);
  const plan = planFilter(filter, { orderBy, mode: options.mode });
  const convert = await typer(reader, connector, options);
  if (plan.parts.length === 1) {
    const part = plan.parts[0]!;
    const page = await reader.fetchPage(
      connector,
      { skip, take, orderBy, filter: part.filter, mode: part.mode },
      options.signal,
    );
    return { ...page, rows: page.rows.map(convert) };
  }
  if ((skip ?? 0) !== 0 || orderBy.length === 0 || take === -1) {
    throw new AfasQueryError(
      `Expected \`orderBy\`, no skip and take >= 1 for a filter that needs ${plan.parts.length} requests; use rows() to read all of it.`,
    );
  }
  const size = take ?? 100;
  const pages = await Promise.all(
    plan.parts.map((part) =>
      reader.fetchPage(
        connector,
        { skip: 0, take: size, orderBy, filter: part.filter, mode: part.mode },
        options.signal,
      ),
    ),
  );
  const merged: Row[] = [];
  for await (const row of mergeSorted(
    pages.map((p) => toAsync(p.rows)),
    parseOrderBy(orderBy),
  )) {
    merged.push(convert(row));
    if (merged.length === size) break;
  }
  return { skip: 0, take: size, rows: merged };
}

async function* toAsync(rows: Row[]): AsyncGenerator<Row> {
  yield* rows;
}

interface PartReadOptions {
  orderBy: string[];
  filter: WireFilter;
  mode: FilterMode;
  take: number;
  maxSkip: number;
  signal?: AbortSignal | undefined;
}

async function* readPart(
  reader: GetReader,
  connector: string,
  options: PartReadOptions,
): AsyncGenerator<Row[]> {
  for (let skip = 0; ; skip += options.take) {
    if (skip > options.maxSkip) {
      throw new AfasQueryError(
        `Expected to read ${connector} within skip ${options.maxSkip}, got further (skip ${skip}); AFAS gets too slow there. Read it with slices() on a sortable key or narrow the filter.`,
      );
    }
    const query = {
      skip,
      take: options.take,
      orderBy: options.orderBy,
      filter: options.filter,
      mode: options.mode,
    };
    const page = await reader.fetchPage(connector, query, options.signal);
    if (page.rows.length > 0) yield page.rows;
    if (page.rows.length < options.take) return;
  }
}

async function* flatten(pages: AsyncIterable<Row[]>): AsyncGenerator<Row> {
  for await (const page of pages) yield* page;
}

/** Resolved options of a paged read over a wire filter. */
export interface WirePagedOptions {
  filter: WireFilter;
  orderBy: string[];
  mode?: FilterMode | undefined;
  take: number;
  maxSkip: number;
  convert: (row: Row) => Row;
  signal?: AbortSignal | undefined;
}

/** Pages of a filter: server pages for one request plan, merged chunks of `take` rows when the filter was split. */
export async function* wirePages(
  reader: GetReader,
  connector: string,
  options: WirePagedOptions,
): AsyncGenerator<Row[]> {
  const plan = planFilter(options.filter, { orderBy: options.orderBy, mode: options.mode });
  const parts = plan.parts.map((part) =>
    readPart(reader, connector, { ...options, filter: part.filter, mode: part.mode }),
  );
  if (parts.length === 1) {
    for await (const page of parts[0]!) yield page.map(options.convert);
    return;
  }
  let chunk: Row[] = [];
  for await (const row of mergeSorted(parts.map(flatten), parseOrderBy(options.orderBy))) {
    chunk.push(options.convert(row));
    if (chunk.length === options.take) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** Resolve paged options (sort required, page size from metainfo). */
export async function resolvePaged(
  reader: GetReader,
  connector: string,
  options: PagedOptions,
): Promise<WirePagedOptions> {
  const orderBy = orderList(options?.orderBy);
  if (orderBy.length === 0) {
    throw new AfasQueryError(
      `Expected \`orderBy\` to read ${connector} page by page, got none: without a sort AFAS may return rows twice or not at all. Sort on a unique key.`,
    );
  }
  const maxSkip = options.maxSkip ?? DEFAULT_MAX_SKIP;
  return {
    filter: toWireFilter(options.filter),
    orderBy,
    mode: options.mode,
    take: await sizeTake(reader, connector, { pageSize: options.pageSize, signal: options.signal }),
    maxSkip,
    convert: await typer(reader, connector, options),
    signal: options.signal,
  };
}

/** Every page of a sorted GetConnector read. */
export async function* pages(
  reader: GetReader,
  connector: string,
  options: PagedOptions,
): AsyncGenerator<Row[]> {
  yield* wirePages(reader, connector, await resolvePaged(reader, connector, options));
}

/** Every row of a sorted GetConnector read. */
export async function* rows(
  reader: GetReader,
  connector: string,
  options: PagedOptions,
): AsyncGenerator<Row> {
  for await (const page of pages(reader, connector, options)) yield* page;
}
