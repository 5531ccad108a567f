import type { TextEncoding } from '../encoding/text-encoding.js';
import type { CsvQuoting, LineEnding } from '../sources/csv-dialect.js';
import { OutputError } from '../sources/errors.js';
import { cellText, formatCsvRow } from './csv-format.js';
import { type OutputWriter, openTextFile } from './output-writer.js';

/** How to write a CSV file. Only `path` and `columns` are required. */
export interface CsvWriterOptions {
  /** Final path of the file (written under a temporary name until `close()`). */
  path: string;
  /** Column names, in order; `write(record)` takes the values of these keys. */
  columns: readonly string[];
  /** Write the column names as the first row; default true. */
  header?: boolean;
  /** Lines written verbatim before the header (e.g. a title line the reader skips); default none. */
  preamble?: readonly string[];
  /** Field separator; default `,`. */
  delimiter?: string;
  /** Quote character, empty for none; default `"`. */
  quote?: string;
  /** Character escaping a quote inside a quoted field; default the quote itself (`""`). */
  escape?: string;
  /** Quote `all` fields, only those that `needed` it, or per column (true = quoted); default `needed`. */
  quoting?: CsvQuoting;
  /** Quoting of the header row; default `quoting` when that is all/needed, else `needed`. */
  headerQuoting?: CsvQuoting;
  /** Line ending; default CRLF (what Excel writes). */
  lineEnding?: LineEnding;
  /** Encoding of the file; default `utf-8`. */
  encoding?: TextEncoding;
  /** Start the file with a byte order mark (Excel needs one to read UTF-8); default false. */
  bom?: boolean;
}

/** A CSV output: `write` takes records by column name, `writeRow` takes cells in column order. */
export interface CsvWriter extends OutputWriter<Readonly<Record<string, unknown>>> {
  /** Appends one row of cells as they are (null = empty). */
  writeRow(cells: readonly (string | null)[]): Promise<void>;
}

/** Creates a CSV writer; the header and preamble are written at once. */
export async function createCsvWriter(options: CsvWriterOptions): Promise<CsvWriter> {
  const quote = options.quote ?? '"';
  const syntax = {
    delimiter: options.delimiter ?? ',',
    quote,
    escape: options.escape ?? quote,
    quoting: options.quoting ?? 'needed',
  };
  if (syntax.delimiter === '' || syntax.delimiter === quote) {
    throw new OutputError(
      options.path,
      `Expected \`delimiter\` to be a character other than the quote, got \`${syntax.delimiter}\``,
    );
  }
  const eol = options.lineEnding ?? '\r\n';
  const file = await openTextFile(options.path, options.encoding ?? 'utf-8', options.bom ?? false);
  let count = 0;
  for (const line of options.preamble ?? []) await file.writeText(line + eol);
  if (options.header ?? true) {
    const headerQuoting =
      options.headerQuoting ?? (typeof syntax.quoting === 'string' ? syntax.quoting : 'needed');
    await file.writeText(formatCsvRow(options.columns, { ...syntax, quoting: headerQuoting }) + eol);
  }
  const writeRow = async (cells: readonly (string | null)[]): Promise<void> => {
    await file.writeText(formatCsvRow(cells, syntax) + eol);
    count++;
  };
  return {
    path: options.path,
    get count() {
      return count;
    },
    writeRow,
    write: (record) => writeRow(options.columns.map((c) => cellText(record[c]))),
    close: () => file.commit(),
    abort: () => file.abort(),
  };
}
