import { readFile } from 'node:fs/promises';
import type { DeliveryStore, ForgetFilter, ForgottenRecord } from '@koppel/core';

export interface ForgetSummary {
  /** Records forgotten (or, with dryRun, that would be). */
  count: number;
  /** The first `limit` of them, in store order. */
  sample: ForgottenRecord[];
}

/** Runs `forget` to its end, keeping a count and the first `limit` records (for the CLI's list). */
export async function forgetDeliveries(
  store: DeliveryStore,
  filter: ForgetFilter,
  options: { dryRun?: boolean; limit?: number } = {},
): Promise<ForgetSummary> {
  const limit = options.limit ?? 20;
  const sample: ForgottenRecord[] = [];
  let count = 0;
  for await (const record of store.forget(filter, { dryRun: options.dryRun === true })) {
    count++;
    if (sample.length < limit) sample.push(record);
  }
  return { count, sample };
}

/** Keys from `--keys a,b` and a `--keys-file` (one key a line; blank lines and `#` comments skipped). */
export async function keysOf(
  list: string | undefined,
  file: string | undefined,
): Promise<string[] | undefined> {
  if (list === undefined && file === undefined) return undefined;
  const keys = (list ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
  if (file !== undefined) {
    for (const line of (await readFile(file, 'utf8')).split(/\r?\n/)) {
      const key = line.trim();
      if (key && !key.startsWith('#')) keys.push(key);
    }
  }
  return keys;
}

/** An ISO time from `--before` / `--since` (a date `2026-12-01` or a date-time); undefined when not a time. */
export function isoTimeOf(text: string): string | undefined {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
