import type { RejectsSource } from '@koppel/core';
import type { InputOverride } from './job-extras.js';

/**
 * The input's format as plain data, for the rejects writer and for a submitted run's metadata: CSV
 * dialect and columns (a `--input` CSV with declared columns loses the error columns), JSON pointer
 * and encoding.
 */
export function rejectsSourceOf(records: unknown, override: InputOverride | undefined): RejectsSource {
  const source = records as RejectsSource;
  const width = override?.declaredWidth;
  if (source.format === 'csv')
    return {
      format: 'csv',
      dialect: source.dialect,
      columns: width === undefined ? [...source.columns] : source.columns.slice(0, width),
    };
  if (source.format === 'json') return { format: 'json', pointer: source.pointer, detected: source.detected };
  return { format: 'jsonl', detected: source.detected };
}
