import { mkdir } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { createCsvWriter } from '../outputs/csv-writer.js';
import { createJsonArrayWriter } from '../outputs/json-array-writer.js';
import { createJsonlWriter } from '../outputs/jsonl-writer.js';
import type { OutputWriter } from '../outputs/output-writer.js';
import type { FieldValue } from '../record.js';
import { ExtractError } from './errors.js';

/** File formats an extract writes. */
export type ExtractFormat = 'csv' | 'jsonl' | 'json';

/** Options of `openExtractWriter`. */
export interface ExtractWriterOptions {
  /** Final path; written under a temporary name and renamed into place by `close()`. */
  path: string;
  /** Columns, in order (the CSV header; the key order of JSON objects). */
  columns: readonly string[];
  /** `auto` picks by extension; default `auto`. */
  format?: ExtractFormat | 'auto';
  /** CSV field separator; default `,`. */
  delimiter?: string;
  /** Start the file with a UTF-8 byte order mark; default false. */
  bom?: boolean;
}

/** The format of an extract file: the given one, else by the extension of `path`. */
export function extractFormat(path: string, format: ExtractFormat | 'auto' = 'auto'): ExtractFormat {
  if (format !== 'auto') return format;
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.jsonl' || ext === '.json') return ext.slice(1) as ExtractFormat;
  if (ext === '.ndjson') return 'jsonl';
  throw new ExtractError(
    `Expected the extract file ${path} to end in .csv, .jsonl or .json, got "${ext}"; rename it or set target.format.`,
  );
}

/** Opens an atomic CSV/JSONL/JSON writer for records (`FieldValue`s by column); creates the directory. */
export async function openExtractWriter(
  options: ExtractWriterOptions,
): Promise<OutputWriter<Readonly<Record<string, FieldValue>>>> {
  const format = extractFormat(options.path, options.format);
  await mkdir(dirname(options.path), { recursive: true });
  const bom = options.bom ?? false;
  if (format === 'csv') {
    return createCsvWriter({
      path: options.path,
      columns: options.columns,
      delimiter: options.delimiter ?? ',',
      bom,
    });
  }
  const inner =
    format === 'jsonl'
      ? await createJsonlWriter({ path: options.path, bom })
      : await createJsonArrayWriter({ path: options.path, bom });
  const ordered = (record: Readonly<Record<string, FieldValue>>) => {
    const out: Record<string, FieldValue> = {};
    for (const column of options.columns) out[column] = record[column] ?? null;
    return out;
  };
  return {
    path: inner.path,
    get count() {
      return inner.count;
    },
    write: (record) => inner.write(ordered(record)),
    close: () => inner.close(),
    abort: () => inner.abort(),
  };
}
