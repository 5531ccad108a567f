import { CsvFormatError } from './errors.js';
import { isCsvError } from './load-csv-parse.js';

/** Where a CSV problem is: the file (as shown) and the 1-based line. */
export interface CsvPlace {
  file: string;
  line: number;
}

/** A row with `got` fields where the header has `columns`, read under the `ragged` policy `policy`. */
export interface RaggedRowOptions {
  got: number;
  columns: readonly string[];
  policy: 'error' | 'pad';
}

/** A row whose field count differs from the header, with the policies that would accept it. */
export function raggedRow(where: CsvPlace, { got, columns, policy }: RaggedRowOptions): CsvFormatError {
  const advice =
    got < columns.length && policy === 'error'
      ? 'set `ragged: pad` to read missing fields as empty (null)'
      : 'set `ragged: truncate` to drop the extra fields';
  const shown = columns.length > 8 ? `${columns.slice(0, 8).join(', ')}, ...` : columns.join(', ');
  return new CsvFormatError(
    where,
    `${where.file}:${where.line}: expected ${columns.length} fields (${shown}), got ${got}; ` +
      `fix the row (a delimiter inside an unquoted value?) or ${advice}`,
  );
}

/** Field `column` at 0-based `position`, `length` characters long, over `limit` (`max_field_size`). */
export interface FieldTooLongOptions {
  column: string;
  position: number;
  length: number;
  limit: number;
}

/** A field longer than `max_field_size`. */
export function fieldTooLong(
  where: CsvPlace,
  { column, position, length, limit }: FieldTooLongOptions,
): CsvFormatError {
  return new CsvFormatError(
    where,
    `${where.file}:${where.line}: field \`${column}\` (column ${position + 1}) is ${length} characters, ` +
      `more than \`max_field_size\` ${limit}; check for an unclosed quote or raise \`max_field_size\``,
  );
}

/** Turns a csv-parse error into a `CsvFormatError` naming file:line and what to do; other errors pass. */
export function csvParseError(
  error: unknown,
  context: { file: string; skipLines: number; consumedLines: number },
): unknown {
  if (!isCsvError(error)) return error;
  const code = error.code.replace(/^(CSV_)?/, 'CSV_');
  const info = error as { lines?: number; empty_lines?: number; comment_lines?: number };
  const lines = info.lines ?? 0;
  const where = { file: context.file, line: lines + context.skipLines };
  const skipped = (info.empty_lines ?? 0) + (info.comment_lines ?? 0);
  const recordLine = context.skipLines + 1 + context.consumedLines + skipped;
  const at = `${where.file}:${where.line}`;
  if (code === 'CSV_QUOTE_NOT_CLOSED') where.line = recordLine;
  const advice: Record<string, string> = {
    CSV_QUOTE_NOT_CLOSED: `${where.file}:${recordLine}: a quote opened in this record is never closed (the file ends at line ${lines + context.skipLines}); close the quote (write a quote inside a value as two quotes) or set \`quote: ""\` if the file does not quote`,
    CSV_INVALID_CLOSING_QUOTE: `${at}: a closing quote is followed by other characters instead of the delimiter or a line end; double quotes inside quoted values (\`""\`) or set \`relax_quotes: true\``,
    CSV_INVALID_OPENING_QUOTE: `${at}: a quote appears inside an unquoted field; quote the whole field or set \`relax_quotes: true\``,
    CSV_MAX_RECORD_SIZE: `${at}: a record is longer than \`max_field_size\` allows; check for an unclosed quote or raise \`max_field_size\``,
  };
  return new CsvFormatError(where, advice[code] ?? `${at}: cannot parse CSV: ${(error as Error).message}`, {
    cause: error,
  });
}
