/**
 * Parses a decimal written with `separator` as decimal mark into a canonical decimal string
 * (`-1234.5`: no grouping, no leading zeros, no trailing fractional zeros, `.` as mark) without
 * passing through a JS number. The other mark (or a space) is accepted only as a thousands
 * separator in groups of three (`1.234,56` with `,`); anything else returns undefined.
 */
export function parseDecimal(text: string, separator: '.' | ',' = '.'): string | undefined {
  if (/[eE]/.test(text)) return exponent(text);
  const sign = text[0] === '-' || text[0] === '+' ? text[0] : '';
  const body = sign ? text.slice(1) : text;
  if (!/^[\d.,\u00a0 ]+$/.test(body)) return undefined;
  const parts = body.split(separator);
  if (parts.length > 2) return undefined;
  const [integer = '', fraction = ''] = parts;
  if (!/^\d*$/.test(fraction) || (parts.length === 2 && fraction === '')) return undefined;
  let digits = integer;
  if (/\D/.test(integer)) {
    const group = integer.replace(/\d/g, '')[0] ?? '';
    const grouped = new RegExp(`^\\d{1,3}(?:${group === '.' ? '\\.' : group}\\d{3})+$`);
    if (!grouped.test(integer)) return undefined;
    digits = integer.replace(/\D/g, '');
  }
  if (digits === '' && fraction === '') return undefined;
  return canonical(sign, digits, fraction);
}

function canonical(sign: string, whole: string, fraction: string): string {
  const integer = whole.replace(/^0+(?=\d)/, '') || '0';
  const decimals = fraction.replace(/0+$/, '');
  const body = decimals ? `${integer}.${decimals}` : integer;
  return sign === '-' && /[1-9]/.test(body) ? `-${body}` : body;
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
