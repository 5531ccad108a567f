/** Options for every source/output error: the underlying cause, if any. */
export interface SourceErrorOptions {
  cause?: unknown;
}

/** A source file cannot be opened or read (missing, a directory, no permission). Stops the run. */
export class SourceFileError extends Error {
  readonly code = 'KOPPEL_SOURCE_FILE';
  readonly file: string;
  constructor(file: string, message: string, options?: SourceErrorOptions) {
    super(message, options);
    this.name = 'SourceFileError';
    this.file = file;
  }
}

/** Source options are invalid (unknown encoding, a delimiter equal to the quote, ...). Stops the run. */
export class SourceOptionsError extends Error {
  readonly code = 'KOPPEL_SOURCE_OPTIONS';
  constructor(message: string, options?: SourceErrorOptions) {
    super(message, options);
    this.name = 'SourceOptionsError';
  }
}

/** Bytes that are not valid in the input's encoding, at `file:line` and a byte offset. Stops the run. */
export class InvalidEncodingError extends Error {
  readonly code = 'KOPPEL_INVALID_ENCODING';
  readonly file: string;
  readonly line: number;
  readonly byteOffset: number;
  constructor(where: { file: string; line: number; byteOffset: number }, message: string) {
    super(message);
    this.name = 'InvalidEncodingError';
    this.file = where.file;
    this.line = where.line;
    this.byteOffset = where.byteOffset;
  }
}

/** A CSV file that does not parse (unclosed quote, ragged row, oversized field, bad header). Stops the run. */
export class CsvFormatError extends Error {
  readonly code = 'KOPPEL_CSV_FORMAT';
  readonly file: string;
  readonly line: number;
  constructor(where: { file: string; line: number }, message: string, options?: SourceErrorOptions) {
    super(message, options);
    this.name = 'CsvFormatError';
    this.file = where.file;
    this.line = where.line;
  }
}

/** A JSON or JSONL file that does not parse, at `file:line:col`. Stops the run. */
export class JsonFormatError extends Error {
  readonly code = 'KOPPEL_JSON_FORMAT';
  readonly file: string;
  readonly line: number;
  readonly column: number;
  constructor(where: { file: string; line: number; column: number }, message: string) {
    super(message);
    this.name = 'JsonFormatError';
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
  }
}

/** An output file cannot be written or was used after close. Stops the run. */
export class OutputError extends Error {
  readonly code = 'KOPPEL_OUTPUT';
  readonly file: string;
  constructor(file: string, message: string, options?: SourceErrorOptions) {
    super(message, options);
    this.name = 'OutputError';
    this.file = file;
  }
}
