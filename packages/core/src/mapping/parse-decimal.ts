const GROUP_MARKS = { '.': [',', ' ', '\u00a0'], ',': ['.', ' ', '\u00a0'] } as const;

/**
 * A thousands separator: one mark (a space also accepts a no-break space), `none` (no grouping)
 * or `auto` (the other mark than the decimal one, a space or a no-break space).
 */
export type ThousandsOption = 'auto' | '.' | ',' | ' ' | "'" | 'none';

function groupMarks(separator: '.' | ',', thousands: ThousandsOption | undefined): readonly string[] {
  if (thousands === undefined || thousands === 'auto') return GROUP_MARKS[separator];
  if (thousands === 'none') return [];
  return thousands === ' ' ? [' ', '\u00a0'] : [thousands];
}

/**
 * Parses a decimal written with `separator` as decimal mark into a canonical decimal string
 * (`-1234.5`: no grouping, no leading zeros, no trailing fractional zeros, `.` as mark) without
 * passing through a JS number. The other mark (or a space) is accepted only as a thousands
 * separator in groups of three (`1.234,56` with `,`), or only `thousands` when it is given
 * (`none`: no grouping); anything else returns undefined.
 */
export function parseDecimal(
  text: string,
  separator: '.' | ',' = '.',
  thousands?: ThousandsOption,
): string | undefined {
  if (thousands !== undefined && thousands === separator) return undefined;
  const marks = groupMarks(separator, thousands);
  // The grammar: sign, then plain digits or 1-3 digits and groups of `<one mark>ddd`, then the fraction.
  const n = text.length;
  const first = text.charCodeAt(0);
  let i = first === 43 || first === 45 ? 1 : 0;
  const start = i;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  let whole = text.slice(start, i);
  if (i < n && text[i] !== separator) {
    const group = text[i] as string;
    if (whole.length < 1 || whole.length > 3 || !marks.includes(group)) return fallback(text);
    while (i < n && text[i] === group) {
      if (
        !(
          isDigit(text.charCodeAt(i + 1)) &&
          isDigit(text.charCodeAt(i + 2)) &&
          isDigit(text.charCodeAt(i + 3))
        )
      )
        return fallback(text);
      whole += text.slice(i + 1, i + 4);
      i += 4;
    }
    if (i < n && text[i] !== separator) return fallback(text);
  }
  let fraction = '';
  if (i < n) {
    const from = ++i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    if (i === from || i < n) return fallback(text);
    fraction = text.slice(from);
  }
  if (whole === '' && fraction === '') return undefined;
  return canonical(start === 1 ? (text[0] as string) : '', whole, fraction);
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/** Not in the grammar: JSON numbers may still use an exponent. */
const fallback = (text: string): string | undefined =>
  text.includes('e') || text.includes('E') ? exponent(text) : undefined;

function canonical(sign: string, whole: string, fraction: string): string {
  let start = 0;
  while (start < whole.length - 1 && whole.charCodeAt(start) === 48) start++;
  const integer = whole.slice(start) || '0';
  let end = fraction.length;
  while (end > 0 && fraction.charCodeAt(end - 1) === 48) end--;
  const decimals = fraction.slice(0, end);
  const body = decimals ? `${integer}.${decimals}` : integer;
  return sign === '-' && !(integer === '0' && decimals === '') ? `-${body}` : body;
}

/** JSON numbers may use an exponent (`1.5e3`); expand it exactly by moving the decimal point. */
function exponent(text: string): string | undefined {
  const match = /^([+-])?(\d+)(?:\.(\d+))?[eE]([+-]?\d+)$/.exec(text);
  if (!match) return undefined;
  const [, sign = '', whole = '', fraction = '', power = '0'] = match;
  const digits = whole + fraction;
  const point = whole.length + Number(power);
  if (Math.abs(point) > 400) return undefined;
  const padded = point <= 0 ? `${'0'.repeat(1 - point)}${digits}` : digits.padEnd(point, '0');
  const at = point <= 0 ? 1 : point;
  return canonical(sign, padded.slice(0, at), padded.slice(at));
}

/** Digits after the decimal point of a canonical decimal string. */
export function fractionDigits(canonicalText: string): number {
  const dot = canonicalText.indexOf('.');
  return dot < 0 ? 0 : canonicalText.length - dot - 1;
}
