import type { EncodingOption, InvalidBytesPolicy } from '../encoding/text-encoding.js';
import { parseEncodingOption } from '../encoding/text-encoding.js';
import type { GzipOption } from './byte-stream.js';
import { SourceOptionsError } from './errors.js';

/** Options shared by the JSON and JSONL readers. Only `path` is required. */
export interface JsonFileOptions {
  /** Path of the file to read (absolute, or relative to the process working directory). */
  path: string;
  /** Path shown in errors and record origins, e.g. as the job wrote it; default `path`. */
  displayPath?: string;
  /** Encoding of the file, or `auto` (BOM, else decided from the whole file or refused); default `auto`. */
  encoding?: EncodingOption;
  /** Invalid bytes: `error` stops with file:line:col and byte offset, `replace` (declared encodings only) reads them as U+FFFD; default `error`. */
  invalidBytes?: InvalidBytesPolicy;
  /** A 0-byte file (or no records) reads as 0 records instead of an `EmptyInputError`; default false. */
  allowEmpty?: boolean;
  /** Gunzip the file: `true`, `false`, or `auto` by its magic bytes; default `auto`. */
  gzip?: GzipOption;
}

/** How to read a JSON document holding an array of record objects. */
export interface JsonSourceOptions extends JsonFileOptions {
  /** JSON pointer (RFC 6901) to the array of records, e.g. `/data/items`; default `""` (the root is the array). */
  records?: string;
}

/** How to read a JSONL file: one JSON object per line, blank lines skipped. */
export interface JsonlSourceOptions extends JsonFileOptions {}

/** JSON file options with every default filled in. */
export type ResolvedJsonFileOptions = Required<JsonFileOptions>;

/** Validates the shared options before any I/O and fills in defaults. */
export function resolveJsonFileOptions(options: JsonFileOptions): ResolvedJsonFileOptions {
  if (typeof options.path !== 'string' || options.path === '') {
    throw new SourceOptionsError('Expected `path` to be a file path, got nothing');
  }
  const invalidBytes = options.invalidBytes ?? 'error';
  if (invalidBytes !== 'error' && invalidBytes !== 'replace') {
    throw new SourceOptionsError(
      `Expected \`invalid_bytes\` to be error or replace, got \`${invalidBytes}\``,
    );
  }
  const encoding = parseEncodingOption(options.encoding ?? 'auto');
  if (invalidBytes === 'replace' && encoding === 'auto') {
    throw new SourceOptionsError(
      '`invalid_bytes: replace` needs a declared `encoding` (auto decides from valid bytes only)',
    );
  }
  return {
    path: options.path,
    displayPath: options.displayPath ?? options.path,
    encoding,
    invalidBytes,
    allowEmpty: options.allowEmpty ?? false,
    gzip: options.gzip ?? 'auto',
  };
}
