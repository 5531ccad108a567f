import type { FieldValue, SourceRecord } from '../record.js';
import { JsonNumber } from '../record.js';
import type { RowValue } from './load-test-file.js';

/**
 * Source records from inline test rows, typed as the job's source would give them: text for CSV
 * (numbers and booleans as written), JsonNumber for numbers of JSON sources. Each origin names
 * the test file and the line the row is written on.
 */
export function recordsOfRows(
  rows: readonly { fields: Record<string, RowValue>; line: number }[],
  options: { file: string; format: 'csv' | 'json' | 'jsonl' },
): SourceRecord[] {
  return rows.map((row, index) => {
    const fields: Record<string, FieldValue> = Object.create(null);
    for (const [name, value] of Object.entries(row.fields)) {
      fields[name] =
        value === null
          ? null
          : options.format === 'csv'
            ? String(value)
            : typeof value === 'number'
              ? new JsonNumber(String(value))
              : value;
    }
    return { fields, origin: { file: options.file, line: row.line, index } };
  });
}
