import { EmptyInputError } from './errors.js';

/** What `requireRecords` needs: the file, whether empty is fine, and the option that allows it. */
export interface EmptyInputRule {
  file: string;
  allowEmpty: boolean;
  /** E.g. `source.csv.allow_empty`. */
  option: string;
  /** What the file held instead of records, e.g. `only a header`. */
  what: string;
}

/**
 * Passes batches of records through; when the input ends without a single record (a header-only
 * CSV, `[]`, blank lines) it throws an `EmptyInputError` unless the rule allows empty input.
 */
export async function* requireRecords<T>(
  batches: AsyncIterable<readonly T[]>,
  rule: EmptyInputRule,
): AsyncGenerator<T[]> {
  let count = 0;
  for await (const batch of batches) {
    count += batch.length;
    yield batch as T[];
  }
  if (count === 0 && !rule.allowEmpty) {
    throw new EmptyInputError(
      rule.file,
      `${rule.file}: no records (${rule.what}); nothing to do, so nothing was sent. Check the export that wrote it, or set \`${rule.option}: true\` when an empty input is fine`,
    );
  }
}

/** `requireRecords` for a stream of single records. */
export async function* requireRecord<T>(records: AsyncIterable<T>, rule: EmptyInputRule): AsyncGenerator<T> {
  let count = 0;
  for await (const record of records) {
    count++;
    yield record;
  }
  if (count === 0 && !rule.allowEmpty) {
    throw new EmptyInputError(
      rule.file,
      `${rule.file}: no records (${rule.what}); nothing to do, so nothing was sent. Check the export that wrote it, or set \`${rule.option}: true\` when an empty input is fine`,
    );
  }
}
