/** What `koppel guess` infers for one column from its sampled values. */
export interface ColumnGuess {
  name: string;
  type: 'int' | 'decimal' | 'date' | 'datetime' | 'boolean' | 'string';
  /** Decimal separator of a decimal column. */
  decimal?: ',' | '.';
  /** Thousands separator of a decimal column whose values group digits (1.234,56). */
  thousands?: ',' | '.';
  /** Date pattern of a date/datetime column, e.g. `dd-MM-yyyy`; `excel` for serial day numbers. */
  date?: string;
  /** Longest value, in characters. */
  maxLength: number;
  /** Number of empty (or null) values in the sample. */
  empty: number;
  /** The first distinct values of the sample, trimmed (at most 50); set by guessCsv. */
  values?: string[];
}

const BOOLEAN = new Set([
  'true',
  'false',
  'ja',
  'nee',
  'waar',
  'onwaar',
  'yes',
  'no',
  'j',
  'n',
  'y',
  'wel',
  'niet',
]);
const INT = /^[-+]?\d+$/;
const DECIMAL_COMMA = /^[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$/;
const DECIMAL_POINT = /^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/;

interface DateShape {
  pattern: string;
  regex: RegExp;
  kind: 'date' | 'datetime';
}

const DATE_SHAPES: DateShape[] = [
  { pattern: 'yyyy-MM-dd', regex: /^(?<y>\d{4})-(?<M>\d{2})-(?<d>\d{2})$/, kind: 'date' },
  { pattern: 'dd-MM-yyyy', regex: /^(?<d>\d{2})-(?<M>\d{2})-(?<y>\d{4})$/, kind: 'date' },
  { pattern: 'd-M-yyyy', regex: /^(?<d>\d{1,2})-(?<M>\d{1,2})-(?<y>\d{4})$/, kind: 'date' },
  { pattern: 'dd/MM/yyyy', regex: /^(?<d>\d{2})\/(?<M>\d{2})\/(?<y>\d{4})$/, kind: 'date' },
  { pattern: 'd/M/yyyy', regex: /^(?<d>\d{1,2})\/(?<M>\d{1,2})\/(?<y>\d{4})$/, kind: 'date' },
  // US exports: only when a day above 12 rules the day-first reading out
  { pattern: 'MM/dd/yyyy', regex: /^(?<M>\d{2})\/(?<d>\d{2})\/(?<y>\d{4})$/, kind: 'date' },
  { pattern: 'M/d/yyyy', regex: /^(?<M>\d{1,2})\/(?<d>\d{1,2})\/(?<y>\d{4})$/, kind: 'date' },
  { pattern: 'd.M.yyyy', regex: /^(?<d>\d{1,2})\.(?<M>\d{1,2})\.(?<y>\d{4})$/, kind: 'date' },
  { pattern: 'dd.MM.yyyy', regex: /^(?<d>\d{2})\.(?<M>\d{2})\.(?<y>\d{4})$/, kind: 'date' },
  { pattern: 'yyyyMMdd', regex: /^(?<y>(19|20)\d{2})(?<M>\d{2})(?<d>\d{2})$/, kind: 'date' },
  {
    pattern: "yyyy-MM-dd'T'HH:mm:ss",
    regex: /^(?<y>\d{4})-(?<M>\d{2})-(?<d>\d{2})T\d{2}:\d{2}:\d{2}$/,
    kind: 'datetime',
  },
  {
    pattern: 'yyyy-MM-dd HH:mm:ss',
    regex: /^(?<y>\d{4})-(?<M>\d{2})-(?<d>\d{2}) \d{2}:\d{2}:\d{2}$/,
    kind: 'datetime',
  },
  {
    pattern: 'dd-MM-yyyy HH:mm',
    regex: /^(?<d>\d{2})-(?<M>\d{2})-(?<y>\d{4}) \d{2}:\d{2}$/,
    kind: 'datetime',
  },
  {
    pattern: 'dd-MM-yyyy HH:mm:ss',
    regex: /^(?<d>\d{2})-(?<M>\d{2})-(?<y>\d{4}) \d{2}:\d{2}:\d{2}$/,
    kind: 'datetime',
  },
];

/** Column names of dates, for Excel serial day numbers (45292 = 2024-01-01). */
const DATE_NAME = /dat(e|um)|geboren|birth|\bdob\b|sinds|since|vanaf|valid|verval|expir/i;
/** Excel serial days 10000..99999 (1927-05-18 .. 2173-10-14), five digits, under a date name. */
const isSerialDay = (v: string): boolean => /^\d{5}$/.test(v) && Number(v) >= 10000 && Number(v) <= 99999;

function validDate(groups: Record<string, string> | undefined): boolean {
  if (!groups) return false;
  const month = Number(groups.M);
  const day = Number(groups.d);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

function dateShape(values: readonly string[]): DateShape | undefined {
  return DATE_SHAPES.find((shape) =>
    values.every((v) => {
      const match = shape.regex.exec(v);
      return match !== null && validDate(match.groups);
    }),
  );
}

/** `,` or `.` when every value is a decimal in that style; ties are broken by evidence, then by `prefer`. */
function decimalSeparator(values: readonly string[], prefer: ',' | '.'): ',' | '.' | undefined {
  const comma = values.every((v) => DECIMAL_COMMA.test(v));
  const point = values.every((v) => DECIMAL_POINT.test(v));
  if (comma && !point) return ',';
  if (point && !comma) return '.';
  if (!comma && !point) return undefined;
  return prefer;
}

/**
 * Infers a column's type from sampled values: boolean (Dutch and English spellings), int (no
 * leading zeros: codes like 0012 stay strings), decimal with its separator, date with its
 * pattern, else string. `prefer` breaks a decimal tie such as `1.234` (`,` for `;` files).
 */
export function inferColumn(
  name: string,
  sample: readonly (string | null)[],
  prefer: ',' | '.',
): ColumnGuess {
  const values = sample.filter((v): v is string => v !== null && v.trim() !== '').map((v) => v.trim());
  const guess: ColumnGuess = {
    name,
    type: 'string',
    maxLength: Math.max(0, ...sample.map((v) => (v === null ? 0 : [...v].length))),
    empty: sample.length - values.length,
  };
  if (values.length === 0) return guess;
  if (values.every((v) => BOOLEAN.has(v.toLowerCase()))) return { ...guess, type: 'boolean' };
  if (values.every((v) => INT.test(v))) {
    const codeLike = values.some((v) => /^[-+]?0\d/.test(v));
    const looksLikeDate = dateShape(values);
    if (looksLikeDate && values.every((v) => v.length === 8))
      return { ...guess, type: 'date', date: looksLikeDate.pattern };
    if (DATE_NAME.test(name) && values.every(isSerialDay)) return { ...guess, type: 'date', date: 'excel' };
    return codeLike ? guess : { ...guess, type: 'int' };
  }
  const shape = dateShape(values);
  if (shape) return { ...guess, type: shape.kind, date: shape.pattern };
  const separator = decimalSeparator(values, prefer);
  if (separator && !values.some((v) => /^[-+]?0\d/.test(v))) {
    const group = separator === ',' ? '.' : ',';
    const grouped = values.some((v) => new RegExp(`\\d\\${group}\\d{3}(\\D|$)`).test(v));
    return { ...guess, type: 'decimal', decimal: separator, ...(grouped ? { thousands: group } : {}) };
  }
  return guess;
}
