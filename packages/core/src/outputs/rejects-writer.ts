import type { TextEncoding } from '../encoding/text-encoding.js';
import type { FieldValue, SourceRecord } from '../record.js';
import type { CsvDialect } from '../sources/csv-dialect.js';
import { DEFAULT_ERROR_COLUMNS } from '../sources/csv-options.js';
import { cellText } from './csv-format.js';
import { createCsvWriter } from './csv-writer.js';
import { createJsonArrayWriter } from './json-array-writer.js';
import { createJsonlWriter } from './jsonl-writer.js';

/**
 * What the rejects writer needs to know about the input; an opened `CsvSource`, `JsonSource` or
 * `JsonlSource` satisfies it as is.
 */
export type RejectsSource =
  | { format: 'csv'; dialect: CsvDialect; columns: readonly string[] }
  | { format: 'json'; pointer: string; detected: { encoding: TextEncoding; bom: boolean } }
  | { format: 'jsonl'; detected: { encoding: TextEncoding; bom: boolean } };

/** How to write the rejects file of a run. */
export interface RejectsWriterOptions {
  /** Final path of the rejects file (written under a temporary name until `close()`). */
  path: string;
  /** The source the records came from: the file gets its format, dialect, encoding and BOM. */
  source: RejectsSource;
  /** Name of the column (CSV) or key (JSON) holding the error message; default `koppel_error`. */
  errorColumn?: string;
  /** Name of the column or key holding AFAS's profitLogReference; default `koppel_profit_log_reference`. */
  referenceColumn?: string;
}

/** Why a record was rejected. */
export interface Rejection {
  /** One-line reason, e.g. AFAS's externalMessage or a mapping error. */
  message: string;
  /** AFAS's `profitLogReference`, when the rejection came from Profit. */
  profitLogReference?: string;
}

/** Writes rejected records in their input's own format, plus the error columns. */
export interface RejectsWriter {
  readonly path: string;
  /** Number of records written so far. */
  readonly count: number;
  /** Appends one rejected record with its original values. */
  write(record: SourceRecord, rejection: Rejection): Promise<void>;
  /** Finishes the file and moves it into place. */
  close(): Promise<void>;
  /** Deletes the unfinished file. */
  abort(): Promise<void>;
}

/**
 * Creates a rejects writer. A CSV input gets the same preamble, header, delimiter, quoting, line
 * ending, encoding and BOM, each row its original raw cells plus the error columns, so fixing the
 * rows and feeding the file to the same job works. JSON and JSONL inputs get their records back
 * with two extra keys (JSON under the same pointer).
 */
export async function createRejectsWriter(options: RejectsWriterOptions): Promise<RejectsWriter> {
  const errorColumn = options.errorColumn ?? DEFAULT_ERROR_COLUMNS[0]!;
  const referenceColumn = options.referenceColumn ?? DEFAULT_ERROR_COLUMNS[1]!;
  const { source } = options;
  if (source.format === 'csv') {
    const { dialect, columns } = source;
    const writer = await createCsvWriter({
      path: options.path,
      columns: [...(dialect.header ?? columns), errorColumn, referenceColumn],
      header: dialect.header !== null,
      preamble: dialect.preamble,
      delimiter: dialect.delimiter,
      quote: dialect.quote,
      escape: dialect.escape,
      quoting: dialect.quoting,
      headerQuoting: dialect.headerQuoting,
      lineEnding: dialect.lineEnding,
      encoding: dialect.encoding,
      bom: dialect.bom,
    });
    return {
      path: options.path,
      get count() {
        return writer.count;
      },
      write: (record, rejection) => {
        const cells = record.raw ?? columns.map((c) => cellText(record.fields[c]));
        return writer.writeRow([...cells, oneLine(rejection.message), rejection.profitLogReference ?? '']);
      },
      close: () => writer.close(),
      abort: () => writer.abort(),
    };
  }
  const encoding = source.detected.encoding;
  const bom = source.detected.bom;
  const writer =
    source.format === 'json'
      ? await createJsonArrayWriter({ path: options.path, pointer: source.pointer, encoding, bom })
      : await createJsonlWriter({ path: options.path, encoding, bom });
  return {
    path: options.path,
    get count() {
      return writer.count;
    },
    write: (record, rejection) => {
      const fields: Record<string, FieldValue> = Object.create(null);
      Object.assign(fields, record.fields);
      fields[errorColumn] = oneLine(rejection.message);
      fields[referenceColumn] = rejection.profitLogReference ?? null;
      return writer.write(fields);
    },
    close: () => writer.close(),
    abort: () => writer.abort(),
  };
}

function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
