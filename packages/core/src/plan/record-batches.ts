import type { SourceRecord } from '../record.js';

/** A source that can also hand over its records a batch at a time (the CSV source can). */
interface Batched {
  batches(): AsyncIterable<readonly SourceRecord[]>;
}

/**
 * The records as batches, so a consumer awaits once per batch instead of once per record: the
 * source's own batches when it has them, a sync iterable as one batch, else one record a batch.
 */
export function recordBatches(
  records: AsyncIterable<SourceRecord> | Iterable<SourceRecord>,
): AsyncIterable<Iterable<SourceRecord>> | Iterable<Iterable<SourceRecord>> {
  const batched = records as Partial<Batched>;
  if (typeof batched.batches === 'function') return batched.batches();
  if (Symbol.iterator in records) return [records];
  return singles(records);
}

async function* singles(records: AsyncIterable<SourceRecord>): AsyncGenerator<SourceRecord[]> {
  for await (const record of records) yield [record];
}
