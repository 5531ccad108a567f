import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceRecord } from '../../src/record.js';

/** Absolute path of a committed source fixture. */
export const fixture = (name: string): string =>
  join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'sources', name);

/** Collects every record of a source. */
export async function collect(source: AsyncIterable<SourceRecord>): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  for await (const record of source) records.push(record);
  return records;
}

/** Fields as a plain object for `toEqual` (null prototypes compare fine, this reads better). */
export const plain = (record: SourceRecord): Record<string, unknown> => ({ ...record.fields });
