import { resolve } from 'node:path';
import type { DetectedEncoding } from '../encoding/sniff-encoding.js';
import type { EncodingOption } from '../encoding/text-encoding.js';
import type { LoadedJob } from '../job/load-job.js';
import type { SourceRecord } from '../record.js';
import { openCsvSource } from '../sources/csv-source.js';

/** The opened input of a job: its records and its format (the CSV header check only applies to csv). */
export interface JobInput {
  format: 'csv' | 'json' | 'jsonl';
  /** Path as the job wrote it (shown in origins). */
  file: string;
  records: AsyncIterable<SourceRecord>;
  /** The encoding the whole input was scanned and is decoded with, and why (plan, preview and the run report name it). */
  encoding: DetectedEncoding;
}

/** Opens the job's `source:` with the readers of @koppel/core, paths relative to the job file. */
export async function openJobSource(loaded: LoadedJob): Promise<JobInput> {
  const { source } = loaded.job;
  if (source.csv) {
    const csv = source.csv;
    const opened = await openCsvSource({
      path: resolve(loaded.dir, csv.path),
      displayPath: csv.path,
      ...(csv.delimiter === undefined ? {} : { delimiter: csv.delimiter }),
      ...(csv.quote === undefined ? {} : { quote: csv.quote }),
      ...(csv.escape === undefined ? {} : { escape: csv.escape }),
      ...(csv.header === undefined ? {} : { header: csv.header }),
      ...(csv.skip_lines === undefined ? {} : { skipLines: csv.skip_lines }),
      ...(csv.comment ? { comment: csv.comment } : {}),
      ...(csv.trim === undefined ? {} : { trim: csv.trim }),
      ...(csv.null_strings === undefined ? {} : { nullStrings: csv.null_strings }),
      ...(csv.ragged === undefined ? {} : { ragged: csv.ragged }),
      ...(csv.max_field_size === undefined ? {} : { maxFieldSize: csv.max_field_size }),
      ...(csv.relax_quotes === undefined ? {} : { relaxQuotes: csv.relax_quotes }),
      ...common(csv),
    });
    return { format: 'csv', file: csv.path, records: opened, encoding: opened.detected };
  }
  // Only a JSON job loads the JSON readers.
  if (source.json) {
    const { openJsonSource } = await import('../sources/json-source.js');
    const json = source.json;
    const opened = await openJsonSource({
      path: resolve(loaded.dir, json.path),
      displayPath: json.path,
      ...(json.records ? { records: json.records } : {}),
      ...common(json),
    });
    return { format: 'json', file: json.path, records: opened, encoding: opened.detected };
  }
  const jsonl = source.jsonl;
  if (!jsonl) throw new Error('job source has none of csv, json, jsonl');
  const { openJsonlSource } = await import('../sources/jsonl-source.js');
  const opened = await openJsonlSource({
    path: resolve(loaded.dir, jsonl.path),
    displayPath: jsonl.path,
    ...common(jsonl),
  });
  return { format: 'jsonl', file: jsonl.path, records: opened, encoding: opened.detected };
}

function common(options: {
  encoding?: string;
  invalid_bytes?: 'error' | 'replace';
  gzip?: boolean | 'auto';
  allow_empty?: boolean;
}) {
  return {
    ...(options.allow_empty === undefined ? {} : { allowEmpty: options.allow_empty }),
    ...(options.encoding === undefined ? {} : { encoding: options.encoding as EncodingOption }),
    ...(options.invalid_bytes === undefined ? {} : { invalidBytes: options.invalid_bytes }),
    ...(options.gzip === undefined ? {} : { gzip: options.gzip }),
  };
}
