import type { FieldValue, SourceRecord } from '../record.js';
import type { ResolvedCsvOptions } from './csv-options.js';
import { fieldTooLong, raggedRow } from './csv-problems.js';
import type { CsvSniff } from './csv-sniff.js';

/** Number of `breakChar` in the cells of a record (its physical lines minus one). */
export function lineBreaksIn(cells: readonly string[], breakChar: string): number {
  let n = 0;
  for (const cell of cells) {
    let at = cell.indexOf(breakChar);
    while (at !== -1) {
      n++;
      at = cell.indexOf(breakChar, at + 1);
    }
  }
  return n;
}

/** Turns the cell lists of the parser into records: physical lines, header, ragged rows, nulls, field sizes. */
export class RecordBuilder {
  /** Physical lines of the records seen so far (header and blank lines included). */
  consumed = 0;
  private index = 0;
  private headerPending: boolean;
  private readonly nulls: Set<string>;
  private readonly width: number;

  constructor(
    private readonly options: ResolvedCsvOptions,
    private readonly sniff: CsvSniff,
  ) {
    this.headerPending = sniff.dialect.header !== null;
    this.nulls = new Set(options.nullStrings);
    this.width = sniff.columns.length;
  }

  /** The record of `cells` (`breaks` line breaks inside, `skipped` blank or comment lines before), or undefined. */
  add(cells: string[], breaks: number, skipped: number): SourceRecord | undefined {
    const { options, sniff, width } = this;
    const file = options.displayPath;
    const line = options.skipLines + 1 + this.consumed + skipped;
    if (cells.length === 1 && cells[0] === '') {
      this.consumed++; // a blank line (only seen without `info`, where csv-parse does not skip them)
      return undefined;
    }
    this.consumed += 1 + breaks;
    if (this.headerPending) {
      this.headerPending = false;
      return undefined;
    }
    const { columns } = sniff;
    const raw =
      sniff.headerWidth > width && cells.length === sniff.headerWidth ? cells.slice(0, width) : cells;
    if (raw.length !== width) {
      if (options.ragged === 'error' || (options.ragged === 'pad' && raw.length > width)) {
        throw raggedRow({ file, line }, { got: raw.length, columns, policy: options.ragged });
      }
    }
    // Not Object.create(null): that is a dictionary per record; this keeps one hidden class.
    const fields: Record<string, FieldValue> = Object.setPrototypeOf({}, null);
    const { nulls } = this;
    const max = options.maxFieldSize;
    for (let c = 0; c < width; c++) {
      const value = raw[c];
      if (value === undefined) {
        fields[columns[c]!] = null;
        continue;
      }
      if (value.length > max)
        throw fieldTooLong(
          { file, line },
          { column: columns[c]!, position: c, length: value.length, limit: max },
        );
      fields[columns[c]!] = nulls.size > 0 && nulls.has(value) ? null : value;
    }
    return { fields, origin: { file, line, index: this.index++ }, raw };
  }
}
