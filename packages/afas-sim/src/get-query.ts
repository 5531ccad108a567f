import type { Value } from './db.js';
import {
  comparable,
  compileFilter,
  type FilterGroups,
  parseFilterJson,
  parseSimpleFilter,
} from './filters.js';
import type { GetConnectorDef } from './get-connectors.js';
import { faults } from './messages.js';
import type { RowSource } from './row-source.js';
import type { ColumnDef } from './schema.js';
import { type Key, sortOrder } from './sort-order.js';

/** The body of a GetConnector response. */
export interface GetResult {
  skip: number;
  take: number;
  rows: Record<string, Value>[];
}

/** Sorted row orders per (connector, sort spec), valid while the source signature is unchanged. */
export class SortCache {
  readonly #orders = new Map<string, { signature: string; order: Uint32Array }>();

  get(key: string, source: RowSource, build: () => Uint32Array): Uint32Array {
    const hit = this.#orders.get(key);
    if (hit && hit.signature === source.signature) return hit.order;
    const order = build();
    this.#orders.set(key, { signature: source.signature, order });
    return order;
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

function buildOrder(source: RowSource, sort: { column: ColumnDef; descending: boolean }[]): Uint32Array {
  const size = source.size;
  const keys = sort.map(({ column }) => {
    const values = new Array<Key>(size);
    for (let i = 0; i < size; i++) values[i] = comparable(column, source.value(i, column.id));
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

  const order =
    sortSpec.length === 0
      ? undefined
      : options.cache.get(
          `${def.id}|${sortSpec.map((s) => (s.descending ? '-' : '') + s.column.id).join(',')}`,
          source,
          () => buildOrder(source, sortSpec),
        );
  const start = skip === -1 ? 0 : skip;
  const end = take === -1 ? Number.POSITIVE_INFINITY : start + take;
  const rows: Record<string, Value>[] = [];
  // Without a filter the first `start` rows need not be visited one by one.
  let matched = predicate ? 0 : Math.min(start, source.size);
  for (let n = matched; n < source.size && matched < end; n++) {
    const index = order ? (order[n] as number) : n;
    if (predicate && !predicate(index)) continue;
    if (matched++ < start) continue;
    const row: Record<string, Value> = {};
    for (const column of def.columns) row[column.id] = renderValue(column, source.value(index, column.id));
    rows.push(row);
  }
  return { skip, take, rows };
}
