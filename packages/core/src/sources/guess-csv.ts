import type { DetectedEncoding } from '../encoding/sniff-encoding.js';
import type { SourceRecord } from '../record.js';
import type { CsvDialect } from './csv-dialect.js';
import type { CsvSourceOptions } from './csv-options.js';
import { openCsvSource } from './csv-source.js';
import { type ColumnGuess, inferColumn } from './infer-column.js';

/** What `koppel guess` found in a CSV file. */
export interface CsvGuess {
  file: string;
  dialect: CsvDialect;
  detected: DetectedEncoding;
  columns: ColumnGuess[];
  /** Records sampled. */
  rows: number;
  /** True when the file has more records than were sampled. */
  truncated: boolean;
}

/** Reads up to `sampleRows` records (default 1000) and infers the dialect and each column's type. */
export async function guessCsv(options: CsvSourceOptions, sampleRows = 1000): Promise<CsvGuess> {
  const source = await openCsvSource({ ragged: 'truncate', ...options });
  const records: SourceRecord[] = [];
  let truncated = false;
  for await (const record of source) {
    if (records.length === sampleRows) {
      truncated = true;
      break;
    }
    records.push(record);
  }
  const prefer = source.dialect.delimiter === ';' ? ',' : '.';
  const columns = source.columns.map((name) =>
    inferColumn(
      name,
      records.map((r) => r.fields[name] as string | null),
      prefer,
    ),
  );
  return {
    file: source.file,
    dialect: source.dialect,
    detected: source.detected,
    columns,
    rows: records.length,
    truncated,
  };
}
