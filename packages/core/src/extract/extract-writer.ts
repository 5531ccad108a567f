import { mkdir } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { cellText } from '../outputs/csv-format.js';
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

/** An extract file: records by column name, or values in column order (faster). */
export interface ExtractWriter extends OutputWriter<Readonly<Record<string, FieldValue>>> {
  /** Appends one row given as values in `columns` order. */
  writeValues(values: readonly FieldValue[]): Promise<void>;
}

/** Opens an atomic CSV/JSONL/JSON writer for records (`FieldValue`s by column); creates the directory. */
export async function openExtractWriter(options: ExtractWriterOptions): Promise<ExtractWriter> {
  const format = extractFormat(options.path, options.format);
  await mkdir(dirname(options.path), { recursive: true });
  const bom = options.bom ?? false;
  if (format === 'csv') {
    const csv = await createCsvWriter({
      path: options.path,
      columns: options.columns,
      delimiter: options.delimiter ?? ',',
      bom,
    });
    return Object.assign(csv, {
      writeValues: (values: readonly FieldValue[]) => csv.writeRow(values.map(cellText)),
    });
  }
  const inner =
    format === 'jsonl'
      ? await createJsonlWriter({ path: options.path, bom })
      : await createJsonArrayWriter({ path: options.path, bom });
  const ordered = (record: Readonly<Record<string, FieldValue>>) => {
    const out: Record<string, FieldValue> = Object.create(null);
    for (const column of options.columns) out[column] = record[column] ?? null;
    return out;
  };
  return {
    path: inner.path,
    get count() {
      return inner.count;
    },
    write: (record) => inner.write(ordered(record)),
    writeValues: (values) => {
      const out: Record<string, FieldValue> = Object.create(null);
      for (let i = 0; i < options.columns.length; i++) out[options.columns[i] as string] = values[i] ?? null;
      return inner.write(out);
    },
    close: () => inner.close(),
    abort: () => inner.abort(),
  };
}
