import type * as CsvParse from 'csv-parse';
import type { CsvSyntaxFailure } from './csv-tokenizer.js';

let loaded: typeof CsvParse | undefined;

/**
 * csv-parse, imported on first use (~12 ms of start-up): only dialects `CsvTokenizer` does not
 * cover and the tokenizer's syntax errors need it. Cached, so a caller pays once.
 */
export async function loadCsvParse(): Promise<typeof CsvParse> {
  loaded ??= await import('csv-parse');
  return loaded;
}

/** Whether `error` is csv-parse's `CsvError` (none exists before csv-parse was loaded). */
export function isCsvError(error: unknown): error is CsvParse.CsvError {
  return loaded !== undefined && error instanceof loaded.CsvError;
}

/** The tokenizer's failure as the `CsvError` csv-parse would raise (code, message and `lines`). */
export async function csvErrorOf(failure: CsvSyntaxFailure): Promise<CsvParse.CsvError> {
  const { CsvError } = await loadCsvParse();
  return new CsvError(failure.code, failure.message, undefined, { lines: failure.lines });
}
