import { pipeline, Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { transcodeToUtf8 } from '../encoding/decode-bytes.js';
import type { DetectedEncoding } from '../encoding/sniff-encoding.js';
import type { FieldValue, SourceRecord } from '../record.js';
import { asSourceError, openByteStream } from './byte-stream.js';
import type { CsvDialect } from './csv-dialect.js';
import { type CsvSourceOptions, type ResolvedCsvOptions, resolveCsvOptions } from './csv-options.js';
import { csvParseError, fieldTooLong, raggedRow } from './csv-problems.js';
import { type CsvSniff, sniffCsv } from './csv-sniff.js';
import { skipLines } from './skip-lines.js';

/** An opened CSV file: its dialect is known before the first record is read. */
export interface CsvSource extends AsyncIterable<SourceRecord> {
  readonly format: 'csv';
  /** Path as shown in origins and errors. */
  readonly file: string;
  /** Delimiter, quoting, line ending, encoding and BOM as read; give it to the rejects writer. */
  readonly dialect: CsvDialect;
  /** The encoding chosen, with the reason (declared, BOM, valid UTF-8 ...). */
  readonly detected: DetectedEncoding;
  /** Field names of every record, in file order. */
  readonly columns: readonly string[];
  /** Streams the records (each call reads the file again from the start). */
  records(): AsyncGenerator<SourceRecord>;
}

/** Validates options, sniffs the file's start and returns a source whose records stream on demand. */
export async function openCsvSource(options: CsvSourceOptions): Promise<CsvSource> {
  const resolved = resolveCsvOptions(options);
  const sniff = await sniffCsv(resolved);
  return {
    format: 'csv',
    file: resolved.displayPath,
    dialect: sniff.dialect,
    detected: sniff.detected,
    columns: sniff.columns,
    records: () => readCsvRecords(resolved, sniff),
    [Symbol.asyncIterator]: () => readCsvRecords(resolved, sniff),
  };
}

function lineBreaksIn(cells: readonly string[], breakChar: string): number {
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

/** A csv-parse record; `info` only when comment lines must be counted (it costs a third of the speed). */
type ParsedRow = string[] | { record: string[]; info: { comment_lines: number; empty_lines: number } };

async function* readCsvRecords(options: ResolvedCsvOptions, sniff: CsvSniff): AsyncGenerator<SourceRecord> {
  const { dialect, columns } = sniff;
  const file = options.displayPath;
  const width = columns.length;
  const breakChar = dialect.lineEnding === '\r' ? '\r' : '\n';
  const nulls = new Set(options.nullStrings);
  const bytes = openByteStream(options.path, dialect.gzip);
  const text = Readable.from(
    skipLines(
      transcodeToUtf8(bytes, { file, detected: sniff.detected, invalidBytes: options.invalidBytes }),
      {
        count: options.skipLines,
        breakChar,
      },
    ),
  );
  const withInfo = options.comment !== '';
  const parser = parse({
    delimiter: dialect.delimiter,
    quote: dialect.quote === '' ? false : dialect.quote,
    escape: dialect.escape === '' ? null : dialect.escape,
    comment: options.comment === '' ? undefined : options.comment,
    relax_quotes: options.relaxQuotes,
    relax_column_count: true,
    skip_empty_lines: withInfo,
    trim: options.trim,
    info: withInfo,
    max_record_size: options.maxFieldSize * Math.max(width, sniff.headerWidth, 1) + 1024,
  });
  pipeline(text, parser, () => undefined);
  let consumed = 0; // physical lines of the records read so far (header included)
  let index = 0;
  let headerPending = sniff.dialect.header !== null;
  try {
    for await (const row of parser as AsyncIterable<ParsedRow>) {
      const cells = Array.isArray(row) ? row : row.record;
      const skipped = Array.isArray(row) ? 0 : row.info.comment_lines + row.info.empty_lines;
      const line = options.skipLines + 1 + consumed + skipped;
      if (cells.length === 1 && cells[0] === '') {
        consumed++; // a blank line (only seen without `info`, where csv-parse does not skip them)
        continue;
      }
      consumed += 1 + lineBreaksIn(cells, breakChar);
      if (headerPending) {
        headerPending = false;
        continue;
      }
      const raw =
        sniff.headerWidth > width && cells.length === sniff.headerWidth ? cells.slice(0, width) : cells;
      if (raw.length !== width) {
        if (options.ragged === 'error' || (options.ragged === 'pad' && raw.length > width)) {
          throw raggedRow({ file, line }, raw.length, columns, options.ragged);
        }
      }
      const fields: Record<string, FieldValue> = Object.create(null);
      for (let c = 0; c < width; c++) {
        const value = raw[c];
        if (value === undefined) {
          fields[columns[c]!] = null;
          continue;
        }
        if (value.length > options.maxFieldSize)
          throw fieldTooLong({ file, line }, columns[c]!, c, value.length, options.maxFieldSize);
        fields[columns[c]!] = nulls.has(value) ? null : value;
      }
      yield { fields, origin: { file, line, index: index++ }, raw };
    }
  } catch (error) {
    throw csvParseError(asSourceError(file, error), {
      file,
      skipLines: options.skipLines,
      consumedLines: consumed,
    });
  } finally {
    parser.destroy();
    bytes.destroy();
  }
}
