import { pipeline, Readable } from 'node:stream';
import { decodeBytes, transcodeToUtf8 } from '../encoding/decode-bytes.js';
import type { DetectedEncoding } from '../encoding/sniff-encoding.js';
import type { SourceRecord } from '../record.js';
import { asSourceError, openByteStream, readByteChunks } from './byte-stream.js';
import type { CsvDialect } from './csv-dialect.js';
import { type CsvSourceOptions, type ResolvedCsvOptions, resolveCsvOptions } from './csv-options.js';
import { csvParseError } from './csv-problems.js';
import { lineBreaksIn, RecordBuilder } from './csv-record-builder.js';
import { type CsvSniff, sniffCsv } from './csv-sniff.js';
import { type CsvRows, CsvTokenizer, tokenizerCovers } from './csv-tokenizer.js';
import { requireRecords } from './empty-input.js';
import { csvErrorOf, loadCsvParse } from './load-csv-parse.js';
import { skipLines, skipTextLines } from './skip-lines.js';

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
  /** Streams the records in batches, one await per batch (each call reads the file again). */
  batches(): AsyncGenerator<SourceRecord[]>;
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
    batches: () => readCsvBatches(resolved, sniff),
    [Symbol.asyncIterator]: () => readCsvRecords(resolved, sniff),
  };
}

/** Which parser reads the records: `auto` takes CsvTokenizer when it covers the dialect, else csv-parse. */
export type CsvEngine = 'auto' | 'csv-parse';

/**
 * The records of the rows a tokenizer chunk gave (emptying `rows`), and the error of the first
 * row that is not one (ragged, too long): the records before it still come first.
 */
function recordsOf(
  rows: CsvRows,
  builder: RecordBuilder,
  breakChar: string,
): { batch: SourceRecord[]; failure: unknown } {
  const { cells, breaks } = rows;
  const batch: SourceRecord[] = [];
  let failure: unknown;
  try {
    for (let i = 0; i < cells.length; i++) {
      const counted = breaks[i]!;
      const record = builder.add(cells[i]!, counted < 0 ? lineBreaksIn(cells[i]!, breakChar) : counted, 0);
      if (record) batch.push(record);
    }
  } catch (error) {
    failure = error;
  }
  cells.length = 0;
  breaks.length = 0;
  return { batch, failure };
}

/** A csv-parse record; `info` only when comment lines must be counted (it costs a third of the speed). */
type ParsedRow = string[] | { record: string[]; info: { comment_lines: number; empty_lines: number } };

/**
 * Streams the records of a sniffed CSV file. `engine` chooses the parser (tests compare both);
 * they give the same records, origins and errors.
 */
export async function* readCsvRecords(
  options: ResolvedCsvOptions,
  sniff: CsvSniff,
  engine: CsvEngine = 'auto',
): AsyncGenerator<SourceRecord> {
  for await (const batch of readCsvBatches(options, sniff, engine)) yield* batch;
}

/**
 * Streams the records of a sniffed CSV file in batches (with the tokenizer, the records of one
 * 64 KiB read), so a consumer pays one await per batch instead of one per record. On an error
 * the records before it come first, as a batch.
 */
export function readCsvBatches(
  options: ResolvedCsvOptions,
  sniff: CsvSniff,
  engine: CsvEngine = 'auto',
): AsyncGenerator<SourceRecord[]> {
  return requireRecords(readBatches(options, sniff, engine), {
    file: options.displayPath,
    allowEmpty: options.allowEmpty,
    option: 'source.csv.allow_empty',
    what: options.header === true ? 'only a header' : 'no data rows',
  });
}

async function* readBatches(
  options: ResolvedCsvOptions,
  sniff: CsvSniff,
  engine: CsvEngine,
): AsyncGenerator<SourceRecord[]> {
  const { dialect } = sniff;
  const file = options.displayPath;
  const breakChar = dialect.lineEnding === '\r' ? '\r' : '\n';
  const builder = new RecordBuilder(options, sniff);
  const maxRecordSize = options.maxFieldSize * Math.max(sniff.columns.length, sniff.headerWidth, 1) + 1024;
  const decode = { file, detected: sniff.detected, invalidBytes: options.invalidBytes, scan: sniff.scan };
  const syntax = { ...options, delimiter: dialect.delimiter };
  try {
    if (engine === 'auto' && tokenizerCovers(syntax)) {
      const chunks = readByteChunks(options.path, dialect.gzip);
      const text = skipTextLines(decodeBytes(chunks, decode), { count: options.skipLines, breakChar });
      const tokenizer = new CsvTokenizer({ ...syntax, maxRecordSize, breakChar });
      const rows: CsvRows = { cells: [], breaks: [] };
      try {
        for (;;) {
          const next = await text.next();
          if (next.done) tokenizer.end(rows);
          else tokenizer.push(next.value, rows);
          const { batch, failure } = recordsOf(rows, builder, breakChar);
          if (batch.length > 0) yield batch;
          if (failure) throw failure;
          if (tokenizer.failure) throw await csvErrorOf(tokenizer.failure);
          if (next.done) break;
        }
      } finally {
        await text.return(undefined); // closes the file when the consumer stops early
      }
      return;
    }
    const { parse } = await loadCsvParse();
    const bytes = openByteStream(options.path, dialect.gzip);
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
      max_record_size: maxRecordSize,
    });
    const text = Readable.from(
      skipLines(transcodeToUtf8(bytes, decode), { count: options.skipLines, breakChar }),
    );
    pipeline(text, parser, () => undefined);
    try {
      for await (const row of parser as AsyncIterable<ParsedRow>) {
        const cells = Array.isArray(row) ? row : row.record;
        const skipped = Array.isArray(row) ? 0 : row.info.comment_lines + row.info.empty_lines;
        const record = builder.add(cells, lineBreaksIn(cells, breakChar), skipped);
        if (record) yield [record];
      }
    } finally {
      parser.destroy();
      bytes.destroy();
    }
  } catch (error) {
    throw csvParseError(asSourceError(file, error), {
      file,
      skipLines: options.skipLines,
      consumedLines: builder.consumed,
    });
  }
}
