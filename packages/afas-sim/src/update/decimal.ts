/** Exact decimal sums for balance checks: values as BigInt units at a common scale (no float drift). */

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** True for `12`, `-0.5`, `.5`, `12.10`; false for `1,5`, `1e3`, ``. */
export function isDecimal(text: string): boolean {
  const match = DECIMAL.exec(text);
  return match !== null && ((match[2] ?? '') + (match[3] ?? '')).length > 0;
}

/** Normalises a decimal text: `+012.50` -> `12.50`, `.5` -> `0.5`, `-0` -> `0`. */
export function normalizeDecimal(text: string): string {
  const match = DECIMAL.exec(text);
  if (!match) throw new RangeError(`Not a decimal: ${text}`);
  const whole = (match[2] ?? '').replace(/^0+(?=\d)/, '') || '0';
  const fraction = match[3] ?? '';
  const body = fraction ? `${whole}.${fraction}` : whole;
  return match[1] === '-' && /[1-9]/.test(body) ? `-${body}` : body;
}

function fractionDigits(text: string): number {
  return text.split('.')[1]?.length ?? 0;
}

function scaled(text: string, scale: number): bigint {
  const [whole = '0', fraction = ''] = normalizeDecimal(text).replace('-', '').split('.');
  const units = BigInt(whole + fraction.padEnd(scale, '0'));
  return text.trim().startsWith('-') ? -units : units;
}

/** The exact sum of decimal texts, as a normalised decimal text. */
export function sumDecimals(values: readonly string[]): string {
  const scale = Math.max(0, ...values.map(fractionDigits));
  const total = values.reduce((sum, value) => sum + scaled(value, scale), 0n);
  return formatScaled(total, scale);
}

/** Compares two decimal texts exactly: -1, 0 or 1. */
export function compareDecimals(a: string, b: string): number {
  const scale = Math.max(fractionDigits(a), fractionDigits(b));
  const diff = scaled(a, scale) - scaled(b, scale);
  return diff === 0n ? 0 : diff < 0n ? -1 : 1;
}

function formatScaled(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}
