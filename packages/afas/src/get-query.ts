import { AfasQueryError } from './errors.js';
import type { WireCondition, WireFilter } from './filter.js';

/** Longest query string (from `?` on) AFAS accepts; longer gives 404 (reference §2.4). */
export const MAX_QUERY_LENGTH = 2049;

/** How a filter is put on the URL. */
export type FilterMode = 'simple' | 'json';

/** Parameters of one GetConnector request. */
export interface GetQuery {
  skip?: number | undefined;
  take?: number | undefined;
  /** Sort fields; a leading `-` sorts descending. */
  orderBy?: readonly string[] | undefined;
  filter?: WireFilter | undefined;
  /** Force a filter mode; default picks `simple` unless a value contains `,` or `;`. */
  mode?: FilterMode | undefined;
}

const enc = encodeURIComponent;

function needsJson(filter: WireFilter): boolean {
  return filter.some((group) => group.some((c) => /[,;]/.test(c.value) || /[,;]/.test(c.field)));
}

/** The `filterjson` document for OR-ed groups of AND-ed conditions. */
export function filterJson(filter: WireFilter): string {
  return JSON.stringify({
    Filters: {
      Filter: filter.map((group, index) => ({
        '@FilterId': `Filter ${index + 1}`,
        Field: group.map((c: WireCondition) => ({
          '@FieldId': c.field,
          '@OperatorType': String(c.operator),
          '#text': c.value,
        })),
      })),
    },
  });
}

function filterParams(filter: WireFilter, mode: FilterMode): string[] {
  if (filter.length === 0) return [];
  if (mode === 'json') return [`filterjson=${enc(filterJson(filter))}`];
  const join = (pick: (c: WireCondition) => string) =>
    filter.map((group) => group.map((c) => enc(pick(c))).join(',')).join(';');
  return [
    `filterfieldids=${join((c) => c.field)}`,
    `filtervalues=${join((c) => c.value)}`,
    `operatortypes=${join((c) => String(c.operator))}`,
  ];
}

/** Pick the filter mode: `json` when a value contains `,` or `;` (the simple syntax cannot escape them). */
export function chooseMode(filter: WireFilter, requested?: FilterMode): FilterMode {
  if (requested === 'simple' && needsJson(filter)) {
    throw new AfasQueryError(
      'Expected filter values without "," or ";" for the simple filter syntax; use filterjson (mode "json") instead.',
    );
  }
  return requested ?? (needsJson(filter) ? 'json' : 'simple');
}

/** Build the query string (with leading `?`, or `''`) of a GetConnector request. */
export function buildGetQuery(query: GetQuery): string {
  const params: string[] = [];
  if (query.skip !== undefined) params.push(`skip=${query.skip}`);
  if (query.take !== undefined) params.push(`take=${query.take}`);
  if (query.orderBy && query.orderBy.length > 0)
    params.push(`orderbyfieldids=${query.orderBy.map(enc).join(',')}`);
  const filter = query.filter ?? [];
  params.push(...filterParams(filter, chooseMode(filter, query.mode)));
  return params.length === 0 ? '' : `?${params.join('&')}`;
}

/** A filter split into parts that each fit on the URL, with the mode of each part. */
export interface FilterPlan {
  parts: Array<{ filter: WireFilter; mode: FilterMode }>;
}

const RESERVE = { skip: 9_999_999, take: 9_999_999 };

function fits(query: GetQuery, maxLength: number): boolean {
  return buildGetQuery({ ...query, ...RESERVE }).length <= maxLength;
}

/**
 * Fit a filter on the URL: the simple syntax if it fits (and no value needs escaping), else
 * `filterjson` if that fits, else split the OR-ed groups over several requests whose union is
 * the answer. A single AND group that does not fit cannot be split and throws.
 */
export function planFilter(
  filter: WireFilter,
  options: {
    orderBy?: readonly string[] | undefined;
    mode?: FilterMode | undefined;
    maxLength?: number;
  } = {},
): FilterPlan {
  const maxLength = options.maxLength ?? MAX_QUERY_LENGTH;
  const orderBy = options.orderBy;
  const modesFor = (part: WireFilter): FilterMode[] => {
    if (options.mode) return [chooseMode(part, options.mode)];
    return needsJson(part) ? ['json'] : ['simple', 'json'];
  };
  const fittingMode = (part: WireFilter) =>
    modesFor(part).find((mode) => fits({ filter: part, mode, orderBy }, maxLength));
  const whole = fittingMode(filter);
  if (whole) return { parts: [{ filter, mode: whole }] };
  const parts: FilterPlan['parts'] = [];
  let current: WireFilter = [];
  for (const group of filter) {
    const candidate = [...current, group];
    if (fittingMode(candidate)) {
      current = candidate;
      continue;
    }
    if (current.length === 0 || !fittingMode([group])) {
      const length = buildGetQuery({ filter: [group], orderBy, ...RESERVE }).length;
      throw new AfasQueryError(
        `Expected every AND group of the filter to fit in the ${maxLength}-character query string, got a group of ${group.length} conditions needing ${length} characters; shorten its values or split it into OR-ed groups.`,
      );
    }
    parts.push({ filter: current, mode: fittingMode(current)! });
    current = [group];
  }
  if (current.length > 0) parts.push({ filter: current, mode: fittingMode(current)! });
  return { parts };
}
