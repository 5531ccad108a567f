import { formatAfasDateTime } from './dates.js';
import { AfasQueryError } from './errors.js';

/** Operator names, in AFAS `operatortypes` order 1..15. */
export const OPERATORS = {
  eq: 1,
  gte: 2,
  lte: 3,
  gt: 4,
  lt: 5,
  contains: 6,
  neq: 7,
  empty: 8,
  notEmpty: 9,
  startsWith: 10,
  notContains: 11,
  notStartsWith: 12,
  endsWith: 13,
  notEndsWith: 14,
  quick: 15,
} as const;

/** An operator name. */
export type OperatorName = keyof typeof OPERATORS;
/** A comparison symbol. */
export type OperatorSymbol = '=' | '>=' | '<=' | '>' | '<' | '!=' | '<>';
/** An operator by name, symbol, or AFAS number 1..15. */
export type Operator = OperatorName | OperatorSymbol | number;
/** A filter value; Dates are sent as Amsterdam local time without `Z`. */
export type FilterValue = string | number | boolean | Date | null | undefined;

/** One condition: `field op value`. */
export interface FilterCondition {
  field: string;
  op: Operator;
  value?: FilterValue;
}

/** A condition with its operator resolved to a number and its value to text. */
export interface WireCondition {
  field: string;
  operator: number;
  value: string;
}

/** OR-ed groups of AND-ed conditions, ready for the wire. */
export type WireFilter = WireCondition[][];

const SYMBOLS: Record<OperatorSymbol, number> = {
  '=': 1,
  '>=': 2,
  '<=': 3,
  '>': 4,
  '<': 5,
  '!=': 7,
  '<>': 7,
};

/** Resolve an operator name, symbol or number to the AFAS operator number. */
export function operatorNumber(op: Operator): number {
  if (typeof op === 'number' && Number.isInteger(op) && op >= 1 && op <= 15) return op;
  if (typeof op === 'string') {
    if (op in OPERATORS) return OPERATORS[op as OperatorName];
    if (op in SYMBOLS) return SYMBOLS[op as OperatorSymbol];
    if (/^\d+$/.test(op)) return operatorNumber(Number(op));
  }
  throw new AfasQueryError(
    `Expected a filter operator (${Object.keys(OPERATORS).join(', ')}, a symbol such as >= or a number 1-15), got ${JSON.stringify(op)}.`,
  );
}

/** Format a filter value for the wire. */
export function filterValueText(value: FilterValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return formatAfasDateTime(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

/** Fluent filter: `where(...)`/`and(...)` add to the current AND group, `or()` starts a new group. */
export class FilterBuilder {
  readonly #groups: FilterCondition[][] = [[]];

  /** Add `field op value` to the current group (AND). */
  where(field: string, op: Operator, value?: FilterValue): this {
    this.#groups[this.#groups.length - 1]!.push({ field, op, value });
    return this;
  }
  /** Alias of `where`. */
  and(field: string, op: Operator, value?: FilterValue): this {
    return this.where(field, op, value);
  }
  /** Start a new group, OR-ed with the previous ones; optionally add its first condition. */
  or(field?: string, op?: Operator, value?: FilterValue): this {
    this.#groups.push([]);
    if (field !== undefined && op !== undefined) this.where(field, op, value);
    return this;
  }
  /** The groups built so far (empty groups dropped). */
  groups(): FilterCondition[][] {
    return this.#groups.filter((group) => group.length > 0).map((group) => [...group]);
  }
}

/** Start a filter with its first condition. */
export function where(field: string, op: Operator, value?: FilterValue): FilterBuilder {
  return new FilterBuilder().where(field, op, value);
}

/** A filter: a builder, OR-ed groups of AND-ed conditions, or one AND group. */
export type Filter = FilterBuilder | FilterCondition[][] | FilterCondition[];

/** Resolve any filter form to wire conditions (validating field names and operators). */
export function toWireFilter(filter: Filter | undefined): WireFilter {
  if (filter === undefined) return [];
  let groups: FilterCondition[][];
  if (filter instanceof FilterBuilder) groups = filter.groups();
  else if (filter.length > 0 && !Array.isArray(filter[0])) groups = [filter as FilterCondition[]];
  else groups = filter as FilterCondition[][];
  return groups
    .filter((group) => group.length > 0)
    .map((group) =>
      group.map((condition) => {
        if (typeof condition?.field !== 'string' || condition.field === '') {
          throw new AfasQueryError(
            `Expected a filter condition with a field name, got ${JSON.stringify(condition)}.`,
          );
        }
        return {
          field: condition.field,
          operator: operatorNumber(condition.op),
          value: filterValueText(condition.value),
        };
      }),
    );
}
