import { JsonNumber, type SourceRecord } from '../record.js';
import { ValueReject } from './value-reject.js';

/** Results of the job's compiled `expr` values for one row, by slot index; empty when the job has none. */
export type ExprResults = readonly unknown[];

/** The text of a scalar value; undefined for missing or null; a reject for objects and arrays. */
export function textOf(value: unknown, display: string, what: string): string | undefined | ValueReject {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (value instanceof JsonNumber) return value.text;
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  return new ValueReject(
    `${display}: ${what} holds ${Array.isArray(value) ? 'a list' : 'an object'}, not a value`,
  );
}

/** Reads a column; `a.b` reads a nested JSON field when no column is named `a.b`. */
export function readColumn(
  record: SourceRecord,
  column: string,
  display: string,
): string | undefined | ValueReject {
  const fields = record.fields;
  let value: unknown = fields[column];
  if (value === undefined && column.includes('.')) {
    value = fields;
    for (const part of column.split('.')) {
      value =
        value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
    }
  }
  return textOf(value, display, `column \`${column}\``);
}

/** The result of expression slot `index` for this row. */
export function readExpr(
  exprs: ExprResults,
  index: number,
  display: string,
): string | undefined | ValueReject {
  const value = exprs[index];
  if (value instanceof ValueReject) return new ValueReject(`${display}: ${value.message}`);
  return textOf(value, display, 'expr');
}

/** A value as plain JSON for JSONata: JsonNumbers become numbers (use `column` for exact amounts). */
export function plainValue(value: unknown): unknown {
  if (value instanceof JsonNumber) return Number(value.text);
  if (Array.isArray(value)) return value.map(plainValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = plainValue(item);
    return out;
  }
  return value;
}
