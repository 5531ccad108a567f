import type { Value } from './db.js';
import {
  comparable,
  compileFilter,
  type FilterGroups,
  normalizeDate,
  parseFilterJson,
  parseSimpleFilter,
} from './filters.js';
import type { GetConnectorDef } from './get-connectors.js';
import { faults } from './messages.js';
import type { RowSource } from './row-source.js';
import type { ColumnDef } from './schema.js';
import { dateSeconds, type Key, lowerBound, type SortedRows, sortOrder } from './sort-order.js';

/** The body of a GetConnector response. */
export interface GetResult {
  skip: number;
  take: number;
  rows: Record<string, Value>[];
}

/** Sorted row orders per (connector, sort spec), valid while the source signature is unchanged. */
export class SortCache {
  readonly #orders = new Map<string, { signature: string; sorted: SortedRows }>();

  get(key: string, source: RowSource, build: () => SortedRows): SortedRows {
    const hit = this.#orders.get(key);
    if (hit && hit.signature === source.signature) return hit.sorted;
    const sorted = build();
    this.#orders.set(key, { signature: source.signature, sorted });
    return sorted;
  }

  clear(): void {
    this.#orders.clear();
  }
}

/** Parses skip: -1 means "everything"; below -1 or not a number means 0 (reference §2.4). */
function parseSkip(raw: string | undefined): number {
  if (raw === undefined || !/^\s*-?\d+\s*$/.test(raw)) return 0;
  const skip = Number(raw);
  return skip < -1 ? 0 : skip;
}

function parseTake(raw: string | undefined, defaultTake: number): number {
  if (raw === undefined || !/^\s*-?\d+\s*$/.test(raw)) return defaultTake;
  const take = Number(raw);
  if (take < -1) throw faults.unexpected();
  return take;
}

/** Renders a stored value as Profit does: `Z`-suffixed local datetimes, `null` for empty values. */
export function renderValue(column: ColumnDef, value: Value): Value {
  if (value === null || value === undefined || value === '') return null;
  if (column.dataType === 'date' && typeof value === 'string') {
    return value.length === 10 ? `${value}T00:00:00Z` : `${value.slice(0, 19)}Z`;
  }
  if ((column.dataType === 'int' || column.dataType === 'decimal') && typeof value === 'string') {
    const number = Number(value);
    return Number.isNaN(number) ? value : number;
  }
  if (column.dataType === 'boolean' && typeof value !== 'boolean') {
    return value === 1 || value === '1' || value === 'true';
  }
  return value;
}

type SortSpec = { column: ColumnDef; descending: boolean }[];

/**
 * Where a sorted scan can start: with one AND group holding a range or equality condition on a
 * numeric or date first sort key, rows before the binary-searched bound can never match (key
 * paging such as `RowId > 999000` then costs a seek, not a scan). The filter still runs on
 * every row from there.
 */
function seekStart(sort: SortSpec, groups: FilterGroups, firstKeys: Float64Array): number {
  const first = sort[0];
  if (groups.length !== 1 || !first || !['int', 'decimal', 'date'].includes(first.column.dataType)) return 0;
  let start = 0;
  for (const condition of groups[0] ?? []) {
    if (condition.field !== first.column.id) continue;
    const raw = condition.value.replace(/^%+|%+$/g, '');
    const date = first.column.dataType === 'date' ? normalizeDate(raw) : undefined;
    const value = first.column.dataType === 'date' ? (date ? dateSeconds(date) : Number.NaN) : Number(raw);
    if (raw.trim() === '' || Number.isNaN(value)) continue;
    // Descending keys are negated: `<`/`<=` on the value become `>`/`>=` on the key.
    const bounds: Record<number, [number, boolean] | undefined> = first.descending
      ? { 1: [-value, false], 3: [-value, false], 5: [-value, true] }
      : { 1: [value, false], 2: [value, false], 4: [value, true] };
    const bound = bounds[condition.operator];
    if (bound) start = Math.max(start, lowerBound(firstKeys, bound[0], bound[1]));
  }
  return start;
}

function buildOrder(source: RowSource, sort: SortSpec): SortedRows {
  const size = source.size;
  const keys = sort.map(({ column }) => {
    const values = new Array<Key>(size);
    const read = source.reader(column.id);
    for (let i = 0; i < size; i++) values[i] = comparable(column, read(i));
    return values;
  });
  return sortOrder(keys, {
    dates: sort.map((s) => s.column.dataType === 'date'),
    descending: sort.map((s) => s.descending),
  });
}

export interface GetQueryOptions {
  /** Lower-cased query parameters. */
  params: Map<string, string>;
  defaultTake: number;
  cache: SortCache;
}

/** Runs a GetConnector request: filter (simple or filterjson), sort, skip/take with Profit's -1 rules. */
export function runGetQuery(def: GetConnectorDef, source: RowSource, options: GetQueryOptions): GetResult {
  const { params } = options;
  const skip = parseSkip(params.get('skip'));
  let take = parseTake(params.get('take'), options.defaultTake);
  if (skip === -1) take = -1;
  else if (take === -1) throw faults.unexpected();

  const byId = new Map(def.columns.map((c) => [c.id, c]));
  const sortSpec = (params.get('orderbyfieldids') ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const descending = part.startsWith('-');
      const id = descending ? part.slice(1) : part.replace(/^\+/, '');
      const column = byId.get(id);
      if (!column) throw faults.fieldNotFound(id);
      return { column, descending };
    });

  let groups: FilterGroups = [];
  const filterJson = params.get('filterjson');
  const fieldIds = params.get('filterfieldids');
  if (filterJson !== undefined && filterJson.trim() !== '') groups = parseFilterJson(filterJson);
  else if (fieldIds !== undefined && fieldIds.trim() !== '') {
    groups = parseSimpleFilter(fieldIds, params.get('filtervalues'), params.get('operatortypes'));
  }
  const predicate = compileFilter(groups, def.columns, source);

  const sorted =
    sortSpec.length === 0
      ? undefined
      : options.cache.get(
          `${def.id}|${sortSpec.map((s) => (s.descending ? '-' : '') + s.column.id).join(',')}`,
          source,
          () => buildOrder(source, sortSpec),
        );
  const order = sorted?.order;
  const start = skip === -1 ? 0 : skip;
  const end = take === -1 ? Number.POSITIVE_INFINITY : start + take;
  const rows: Record<string, Value>[] = [];
  // Without a filter the first `start` rows need not be visited one by one.
  let matched = predicate ? 0 : Math.min(start, source.size);
  const from = predicate ? (sorted ? seekStart(sortSpec, groups, sorted.firstKeys) : 0) : matched;
  for (let n = from; n < source.size && matched < end; n++) {
    const index = order ? (order[n] as number) : n;
    if (predicate && !predicate(index)) continue;
    if (matched++ < start) continue;
    const row: Record<string, Value> = {};
    for (const column of def.columns) row[column.id] = renderValue(column, source.value(index, column.id));
    rows.push(row);
  }
  return { skip, take, rows };
}
