import type { Value } from '../db.js';
import type { Language } from '../language.js';
import { canonicalCode } from './codes.js';
import { compareDecimals, isDecimal, normalizeDecimal } from './decimal.js';
import { badType, doesNotExist, notZero, tooLong } from './messages.js';
import type { FieldSpec } from './spec.js';

const INT32 = 2_147_483_647;
const INTEGER = /^[+-]?\d+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Converts a value as sent (string or native JSON) to the stored form of its field:
 * strings and codes (canonical id) as strings, int/long as numbers, decimals as normalised
 * decimal strings (exact), booleans, dates `YYYY-MM-DD` (`…THH:mm:ss` for datetime fields).
 * Empty strings and null become null. Throws the Profit fault for a wrong value.
 */
export function coerce(field: FieldSpec, raw: unknown, language: Language): Value {
  if (raw === null || raw === undefined || raw === '') return null;
  const shown = typeof raw === 'string' ? raw : JSON.stringify(raw);
  const fail = (): never => {
    throw badType(field.label, field.dataType, shown);
  };
  if (typeof raw === 'object') return fail();
  const value = convert(field, raw as string | number | boolean, fail);
  if (value === null) return null;
  if (field.values && typeof value === 'string') {
    const id = canonicalCode(field.values, value, language);
    if (id === undefined) throw doesNotExist(field.label);
    return id;
  }
  if (
    field.notzero &&
    (value === 0 ||
      (typeof value === 'string' && field.dataType === 'decimal' && compareDecimals(value, '0') === 0))
  ) {
    throw notZero(field.label);
  }
  return value;
}

function convert(field: FieldSpec, raw: string | number | boolean, fail: () => never): Value {
  const text = typeof raw === 'string' ? raw.trim() : String(raw);
  switch (field.dataType) {
    case 'string': {
      const value = typeof raw === 'string' ? raw : text;
      if (field.length > 0 && [...value].length > field.length) throw tooLong(field.label, field.length);
      return value;
    }
    case 'int':
    case 'long': {
      if (typeof raw === 'boolean' || !INTEGER.test(text)) return fail();
      const value = Number(text);
      const max = field.dataType === 'int' ? INT32 : Number.MAX_SAFE_INTEGER;
      return Math.abs(value) > max ? fail() : value;
    }
    case 'decimal':
      if (typeof raw === 'boolean' || !isDecimal(text)) return fail();
      return normalizeDecimal(text);
    case 'boolean': {
      const lower = text.toLowerCase();
      if (lower === 'true' || lower === '1') return true;
      if (lower === 'false' || lower === '0') return false;
      return fail();
    }
    case 'date':
      return typeof raw === 'string' ? date(field, text, fail) : fail();
    case 'blob': {
      const compact = typeof raw === 'string' ? text.replace(/\s+/g, '') : '';
      return compact && BASE64.test(compact) && compact.length % 4 === 0 ? compact : fail();
    }
  }
}

function validDay(day: string): boolean {
  const [, y, m, d] = DATE.exec(day) ?? [];
  const probe = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return probe.toISOString().slice(0, 10) === day;
}

function date(field: FieldSpec, text: string, fail: () => never): string {
  if (DATE.test(text)) {
    if (!validDay(text)) fail();
    return field.datetime ? `${text}T00:00:00` : text;
  }
  const match = DATETIME.exec(text);
  if (!match) return fail();
  const [, day = '', hh = '', mm = '', ss = '00'] = match;
  if (!validDay(day) || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) fail();
  return field.datetime ? `${day}T${hh}:${mm}:${ss}` : day;
}
