import { parseAfasDate } from './dates.js';
import type { GetField } from './metainfo-types.js';

/** A GetConnector row as AFAS sends it. */
export type Row = Record<string, unknown>;

function convert(value: unknown, dataType: string): unknown {
  if (value === null || value === undefined) return null;
  switch (dataType) {
    case 'date':
      return typeof value === 'string' ? (parseAfasDate(value) ?? value) : value;
    case 'int':
    case 'long':
    case 'decimal':
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
        return Number(value);
      return value;
    case 'boolean':
      if (value === 'true' || value === '1' || value === 1) return true;
      if (value === 'false' || value === '0' || value === 0) return false;
      return value;
    default:
      return value;
  }
}

/**
 * Convert a row using the GetConnector's metainfo: `date` fields become Dates (Amsterdam local time,
 * ignoring the `Z`), numeric and boolean fields become numbers and booleans; nulls stay null.
 */
export function typeRow(row: Row, fields: readonly GetField[]): Row {
  const out: Row = { ...row };
  for (const field of fields) {
    if (field.id in out) out[field.id] = convert(out[field.id], field.dataType);
  }
  return out;
}
