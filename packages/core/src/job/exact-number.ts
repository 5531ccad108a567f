/**
 * YAML numbers become JavaScript numbers (binary doubles). A constant such as
 * `AmDe: 1234567890123456.78` would reach the payload as 1234567890123456.8, so every number in a
 * job must survive that trip exactly; otherwise the job must quote it. Decimals stay exact.
 */

/** A finite decimal as sign, significant digits (no leading or trailing zeros) and exponent. */
interface Decimal {
  negative: boolean;
  digits: string;
  exponent: number;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function parseDecimal(text: string): Decimal | undefined {
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  const [, sign = '', whole = '', fraction = '', exp = '0'] = match;
  if (whole === '' && fraction === '') return undefined;
  const all = whole + fraction;
  const lead = all.search(/[1-9]/);
  if (lead === -1) return { negative: false, digits: '', exponent: 0 };
  const trimmed = all.slice(lead).replace(/0+$/, '');
  // value = 0.<trimmed> × 10^(exponent): the position of the first significant digit.
  return { negative: sign === '-', digits: trimmed, exponent: whole.length - lead + Number(exp) };
}

/**
 * The number as the payload would carry it, when that differs from what the job says;
 * undefined when the two are the same number (`12.50` and 12.5, `1e3` and 1000 are the same).
 */
export function inexactNumber(source: string, value: number): string | undefined {
  if (!Number.isFinite(value)) return String(value);
  if (/^[+-]?0[xo]/i.test(source)) return Number.isSafeInteger(value) ? undefined : String(value);
  const written = parseDecimal(source);
  const held = parseDecimal(value.toString());
  if (!written || !held) return undefined; // not decimal notation: YAML decided, nothing to compare
  const same =
    written.digits === held.digits &&
    (written.digits === '' || (written.exponent === held.exponent && written.negative === held.negative));
  return same ? undefined : String(value);
}
