import { UsageError } from './errors.js';

/** Bounds of a whole-number option. */
export interface WholeNumberOptions {
  /** Smallest value accepted; default 1. */
  min?: number;
  /** Largest value accepted; default Number.MAX_SAFE_INTEGER. */
  max?: number;
}

/**
 * The parser of a numeric option for commander (`.option('--limit <n>', '…', wholeNumber('--limit'), 10)`):
 * only digits are accepted (no sign, decimals, exponent or hex), within the bounds; anything else
 * throws UsageError "--limit: expected a whole number ≥ 1, got `abc`" (exit 2).
 */
export function wholeNumber(flag: string, options: WholeNumberOptions = {}): (value: string) => number {
  const min = options.min ?? 1;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  const expected =
    max === Number.MAX_SAFE_INTEGER ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`;
  return (value: string): number => {
    const text = value.trim();
    const number = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(number) || number < min || number > max) {
      throw new UsageError(`${flag}: expected ${expected}, got ${shown(value)}`);
    }
    return number;
  };
}

/** The value as given, in backticks, cut to 40 characters. */
function shown(value: string): string {
  const flat = value.replace(/\s+/g, ' ');
  return `\`${flat.length > 40 ? `${flat.slice(0, 40)}…` : flat}\``;
}
