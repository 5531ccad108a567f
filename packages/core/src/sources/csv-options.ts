import type { EncodingOption, InvalidBytesPolicy } from '../encoding/text-encoding.js';
import { parseEncodingOption } from '../encoding/text-encoding.js';
import type { GzipOption } from './byte-stream.js';
import { SourceOptionsError } from './errors.js';

/** What to do with a row whose field count differs from the header. */
export type RaggedPolicy = 'error' | 'pad' | 'truncate';

/** Column names the rejects writer appends; a CSV reader drops them when they end the header. */
export const DEFAULT_ERROR_COLUMNS: readonly string[] = ['koppel_error', 'koppel_profit_log_reference'];

/** How to read one CSV file. Only `path` is required. */
export interface CsvSourceOptions {
  /** Path of the file to read (absolute, or relative to the process working directory). */
  path: string;
  /** Path shown in errors and record origins, e.g. as the job wrote it; default `path`. */
  displayPath?: string;
  /** Field separator, or `auto` to detect `;`, `,`, tab or `|` from the first records; default `auto`. */
  delimiter?: string;
  /** Quote character; an empty string turns quoting off; default `"`. */
  quote?: string;
  /** Character escaping a quote inside a quoted field; default the quote itself (`""`). */
  escape?: string;
  /** `true`: the first record is the header; `false`: columns are named `column_1`...; a list declares the column names (no header row); default `true`. */
  header?: boolean | readonly string[];
  /** Number of physical lines before the header (or first record) to skip, e.g. a title line; default 0. */
  skipLines?: number;
  /** Lines starting with this string are skipped; default none. */
  comment?: string;
  /** Remove spaces and tabs around every field (and header name); default false. */
  trim?: boolean;
  /** Field values (after trim) read as null, e.g. `["", "NULL"]`; default none (empty stays ""). */
  nullStrings?: readonly string[];
  /** A row with fewer or more fields than the header: `error`, `pad` (missing fields become null; more is an error) or `truncate` (also drops extra fields); default `error`. */
  ragged?: RaggedPolicy;
  /** Largest field allowed, in characters; a longer one (often an unclosed quote) is an error; default 1048576. */
  maxFieldSize?: number;
  /** Accept a quote inside an unquoted field (`5" disk`) as a literal character; default false. */
  relaxQuotes?: boolean;
  /** Encoding of the file, or `auto` (BOM, else decided from the whole file or refused); default `auto`. */
  encoding?: EncodingOption;
  /** Invalid bytes: `error` stops with file:line:col and byte offset, `replace` (declared encodings only) reads them as U+FFFD; default `error`. */
  invalidBytes?: InvalidBytesPolicy;
  /** A 0-byte file or a header without records reads as 0 records instead of an `EmptyInputError`; default false. */
  allowEmpty?: boolean;
  /** Gunzip the file: `true`, `false`, or `auto` by its magic bytes; default `auto`. */
  gzip?: GzipOption;
  /** Trailing header columns with these names are dropped, so a rejects file reads back like its input; default `koppel_error`, `koppel_profit_log_reference`. */
  errorColumns?: readonly string[];
}

/** CSV options with every default filled in. */
export type ResolvedCsvOptions = Required<Omit<CsvSourceOptions, 'delimiter'>> & { delimiter: string };

function fail(message: string): never {
  throw new SourceOptionsError(message);
}

/** Validates CSV options before any I/O and fills in defaults. */
export function resolveCsvOptions(options: CsvSourceOptions): ResolvedCsvOptions {
  const quote = options.quote ?? '"';
  const escapeChar = options.escape ?? quote;
  const delimiter = options.delimiter ?? 'auto';
  if (typeof options.path !== 'string' || options.path === '')
    fail('Expected `path` to be a file path, got nothing');
  if (delimiter === '' || /[\r\n]/.test(delimiter))
    fail(`Expected \`delimiter\` to be a character, got \`${delimiter}\``);
  if (quote.length > 1) fail(`Expected \`quote\` to be one character or empty, got \`${quote}\``);
  if (quote !== '' && delimiter === quote)
    fail(`Expected \`delimiter\` and \`quote\` to differ, both are \`${quote}\``);
  if (escapeChar.length > 1) fail(`Expected \`escape\` to be one character, got \`${escapeChar}\``);
  const skipLines = options.skipLines ?? 0;
  if (!Number.isInteger(skipLines) || skipLines < 0)
    fail(`Expected \`skip_lines\` to be an integer >= 0, got \`${skipLines}\``);
  const maxFieldSize = options.maxFieldSize ?? 1_048_576;
  if (!Number.isInteger(maxFieldSize) || maxFieldSize < 1) {
    fail(`Expected \`max_field_size\` to be an integer >= 1 (characters), got \`${maxFieldSize}\``);
  }
  const ragged = options.ragged ?? 'error';
  if (!['error', 'pad', 'truncate'].includes(ragged))
    fail(`Expected \`ragged\` to be error, pad or truncate, got \`${ragged}\``);
  const invalidBytes = options.invalidBytes ?? 'error';
  if (invalidBytes !== 'error' && invalidBytes !== 'replace') {
    fail(`Expected \`invalid_bytes\` to be error or replace, got \`${invalidBytes}\``);
  }
  const encoding = parseEncodingOption(options.encoding ?? 'auto');
  if (invalidBytes === 'replace' && encoding === 'auto') {
    fail('`invalid_bytes: replace` needs a declared `encoding` (auto decides from valid bytes only)');
  }
  const header = options.header ?? true;
  if (Array.isArray(header) && header.length === 0)
    fail('Expected `header` to list at least one column, got []');
  return {
    path: options.path,
    displayPath: options.displayPath ?? options.path,
    delimiter,
    quote,
    escape: escapeChar,
    header,
    skipLines,
    comment: options.comment ?? '',
    trim: options.trim ?? false,
    nullStrings: options.nullStrings ?? [],
    ragged,
    maxFieldSize,
    relaxQuotes: options.relaxQuotes ?? false,
    encoding,
    invalidBytes,
    allowEmpty: options.allowEmpty ?? false,
    gzip: options.gzip ?? 'auto',
    errorColumns: options.errorColumns ?? DEFAULT_ERROR_COLUMNS,
  };
}
