import { ExtractError } from './errors.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a duration such as `10m`, `30s`, `2h`, `1d`, `500ms`. */
export function parseDuration(text: string, what = 'duration'): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) {
    throw new ExtractError(
      `Expected ${what} to be a number and a unit (ms, s, m, h, d) such as 10m, got "${text}".`,
    );
  }
  return Number(match[1]) * (UNIT_MS[match[2] as string] as number);
}
