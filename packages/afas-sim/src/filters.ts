import type { Value } from './db.js';
import { faults } from './messages.js';
import type { RowSource } from './row-source.js';
import type { ColumnDef } from './schema.js';

/** One condition of a GetConnector filter: `field <operator> value`. */
export interface Condition {
  field: string;
  /** 1..15 (reference §2.4). */
  operator: number;
  value: string;
}

/** Groups are OR-ed; the conditions inside a group are AND-ed. */
export type FilterGroups = Condition[][];

const parseOperator = (raw: unknown): number => {
  const text = String(raw ?? '').trim();
  const operator = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(operator >= 1 && operator <= 15)) throw faults.unexpected();
  return operator;
};

/**
 * Parses `filterfieldids`/`filtervalues`/`operatortypes`: `;` separates OR groups, `,` AND-ed
 * conditions. Missing operators default to 1 (=); lists of different shapes are a 500.
 */
export function parseSimpleFilter(
  fields: string,
  values: string | undefined,
  operators: string | undefined,
): FilterGroups {
  const fieldGroups = fields.split(';');
  const valueGroups = (values ?? '').split(';');
  const operatorGroups = operators === undefined ? undefined : operators.split(';');
  if (valueGroups.length !== fieldGroups.length && values !== undefined) throw faults.unexpected();
  if (operatorGroups && operatorGroups.length !== fieldGroups.length) throw faults.unexpected();
  return fieldGroups.map((group, g) => {
    const ids = group.split(',');
    const vals = (valueGroups[g] ?? '').split(',');
    const ops = operatorGroups?.[g]?.split(',');
    if (values !== undefined && vals.length !== ids.length) throw faults.unexpected();
    if (ops && ops.length !== ids.length) throw faults.unexpected();
    return ids.map((field, i) => ({
      field: field.trim(),
      operator: ops ? parseOperator(ops[i]) : 1,
      value: vals[i] ?? '',
    }));
  });
}

const asArray = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];

/** Parses `filterjson` (`{"Filters":{"Filter":[{"Field":[{"@FieldId","@OperatorType","#text"}]}]}}`). */
export function parseFilterJson(text: string): FilterGroups {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw faults.unexpected();
  }
  const filters = (parsed as { Filters?: { Filter?: unknown } } | null)?.Filters?.Filter;
  if (filters === undefined) throw faults.unexpected();
  return asArray(filters).map((filter) =>
    asArray((filter as { Field?: unknown } | null)?.Field).map((field) => {
      const f = (field ?? {}) as Record<string, unknown>;
      if (typeof f['@FieldId'] !== 'string') throw faults.unexpected();
      const text = f['#text'];
      return {
        field: f['@FieldId'],
        operator: parseOperator(f['@OperatorType']),
        value: text === undefined || text === null ? '' : String(text),
      };
    }),
  );
}

/** A Profit filter value for a date column: `2024-01-31` or `2024-01-31T16:00:00` (a trailing Z is tolerated). */
export function normalizeDate(value: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?Z?$/.exec(value.trim());
  if (!match) return undefined;
  return `${match[1]}T${match[2] ?? '00'}:${match[3] ?? '00'}:${match[4] ?? '00'}`;
}

const text = (value: Value): string => (typeof value === 'boolean' ? (value ? '1' : '0') : String(value));

/** Comparable form of a stored value for a column: lower-case strings, numbers, 0/1, full datetimes. */
export function comparable(column: ColumnDef, value: Value): string | number | null {
  if (value === null || value === undefined || value === '') return null;
  switch (column.dataType) {
    case 'int':
    case 'decimal':
      return typeof value === 'number' ? value : Number(value);
    case 'boolean':
      return value === true || value === 1 || value === '1' || value === 'true' ? 1 : 0;
    case 'date': {
      const text = String(value);
      if (text.length === 19 && text[10] === 'T') return text;
      if (text.length === 10) return `${text}T00:00:00`;
      return normalizeDate(text) ?? text;
    }
    default:
      return String(value).toLowerCase();
  }
}

function operand(column: ColumnDef, raw: string): string | number {
  switch (column.dataType) {
    case 'int':
    case 'decimal': {
      const number = Number(raw.trim());
      if (raw.trim() === '' || Number.isNaN(number)) throw faults.unexpected();
      return number;
    }
    case 'boolean': {
      const v = raw.trim().toLowerCase();
      if (v === '1' || v === 'true' || v === '-1') return 1;
      if (v === '0' || v === 'false') return 0;
      throw faults.unexpected();
    }
    case 'date': {
      const date = normalizeDate(raw);
      if (!date) throw faults.unexpected();
      return date;
    }
    default:
      return raw.toLowerCase();
  }
}

type Test = (stored: Value) => boolean;

function compileCondition(column: ColumnDef, condition: Condition): Test {
  const { operator } = condition;
  if (operator === 8) return (stored) => stored === null || stored === undefined || stored === '';
  if (operator === 9) return (stored) => !(stored === null || stored === undefined || stored === '');
  // `%` wildcards are tolerated: strip them, then apply the operator's own semantics.
  const raw = condition.value.replace(/^%+|%+$/g, '');
  if ([6, 10, 11, 12, 13, 14, 15].includes(operator)) {
    // Case-insensitive matching with a regular expression: no lower-cased copy per row.
    const escaped = raw.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const source =
      operator === 10 || operator === 12
        ? `^${escaped}`
        : operator === 13 || operator === 14
          ? `${escaped}$`
          : escaped;
    const pattern = new RegExp(source, 'iu');
    const negated = operator === 11 || operator === 12 || operator === 14;
    return (stored) => stored !== null && stored !== undefined && pattern.test(text(stored)) !== negated;
  }
  const right = operand(column, raw);
  const compare = (stored: Value): number | null => {
    const left = comparable(column, stored);
    if (left === null) return null;
    return left < right ? -1 : left > right ? 1 : 0;
  };
  const ops: Record<number, (c: number) => boolean> = {
    1: (c) => c === 0,
    2: (c) => c >= 0,
    3: (c) => c <= 0,
    4: (c) => c > 0,
    5: (c) => c < 0,
    7: (c) => c !== 0,
  };
  const op = ops[operator] as (c: number) => boolean;
  return (stored) => {
    const c = compare(stored);
    return c !== null && op(c);
  };
}

/** Compiles filter groups into a row-index predicate; unknown fields raise `Connector field 'X' not found`. */
export function compileFilter(
  groups: FilterGroups,
  columns: readonly ColumnDef[],
  source: RowSource,
): ((index: number) => boolean) | undefined {
  if (groups.length === 0) return undefined;
  const byId = new Map(columns.map((c) => [c.id, c]));
  const compiled = groups.map((group) =>
    group.map((condition) => {
      const column = byId.get(condition.field);
      if (!column) throw faults.fieldNotFound(condition.field);
      return { id: column.id, test: compileCondition(column, condition) };
    }),
  );
  return (index) => compiled.some((group) => group.every(({ id, test }) => test(source.value(index, id))));
}
