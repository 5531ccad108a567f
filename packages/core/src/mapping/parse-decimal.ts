/** Sign, then plain digits or digits grouped by threes with one other mark, then the fraction. */
const GRAMMAR = {
  '.': /^([+-]?)(?:(\d*)|(\d{1,3}([, \u00a0])\d{3}(?:\4\d{3})*))(?:\.(\d+))?$/,
  ',': /^([+-]?)(?:(\d*)|(\d{1,3}([. \u00a0])\d{3}(?:\4\d{3})*))(?:,(\d+))?$/,
};

/**
 * Parses a decimal written with `separator` as decimal mark into a canonical decimal string
 * (`-1234.5`: no grouping, no leading zeros, no trailing fractional zeros, `.` as mark) without
 * passing through a JS number. The other mark (or a space) is accepted only as a thousands
 * separator in groups of three (`1.234,56` with `,`); anything else returns undefined.
 */
export function parseDecimal(text: string, separator: '.' | ',' = '.'): string | undefined {
  const match = GRAMMAR[separator].exec(text);
  if (!match) return text.includes('e') || text.includes('E') ? exponent(text) : undefined;
  const digits = match[2] ?? (match[3] as string).replace(/\D/g, '');
  const fraction = match[5] ?? '';
  if (digits === '' && fraction === '') return undefined;
  return canonical(match[1] ?? '', digits, fraction);
}

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
