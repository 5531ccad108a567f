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

/** Where in an input file a problem is: 1-based line and column (characters), and the byte offset. */
export interface InputPosition {
  file: string;
  line: number;
  column: number;
  byteOffset: number;
}

/**
 * Bytes that are not text in the input's encoding (invalid UTF-8, a byte Windows-1252 leaves
 * undefined, a lone UTF-16 surrogate), at `file:line:col` and a byte offset. Found by the
 * whole-file pre-scan when the source is opened, so it stops a run before its first request.
 */
export class InvalidEncodingError extends Error {
  readonly code = 'KOPPEL_INVALID_ENCODING';
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly byteOffset: number;
  constructor(where: InputPosition, message: string) {
    super(message);
    this.name = 'InvalidEncodingError';
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.byteOffset = where.byteOffset;
  }
}

/**
 * `encoding: auto` cannot be certain: the file is neither valid UTF-8 nor text that every
 * remaining candidate decodes the same way. Names the candidates and the first offending byte.
 */
export class EncodingUndecidedError extends Error {
  readonly code = 'KOPPEL_ENCODING_UNDECIDED';
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly byteOffset: number;
  /** Encodings the file could be in (empty: none decodes it). */
  readonly candidates: readonly string[];
  constructor(where: InputPosition, candidates: readonly string[], message: string) {
    super(message);
    this.name = 'EncodingUndecidedError';
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.byteOffset = where.byteOffset;
    this.candidates = candidates;
  }
}

/** A NUL or other C0 control character (not TAB, CR, LF) in the input, at `file:line:col`. Stops the run. */
export class ControlCharacterError extends Error {
  readonly code = 'KOPPEL_CONTROL_CHARACTER';
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly byteOffset: number;
  constructor(where: InputPosition, message: string) {
    super(message);
    this.name = 'ControlCharacterError';
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.byteOffset = where.byteOffset;
  }
}

/** The input has no records (0 bytes, or a CSV header without rows) and the job does not allow that. */
export class EmptyInputError extends Error {
  readonly code = 'KOPPEL_EMPTY_INPUT';
  readonly file: string;
  constructor(file: string, message: string) {
    super(message);
    this.name = 'EmptyInputError';
    this.file = file;
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
