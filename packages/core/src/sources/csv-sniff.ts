import { type ScanOptions, scanInput } from '../encoding/scan-input.js';
import { decodeSingleByte, isSingleByte } from '../encoding/single-byte.js';
import { bomLength, type DetectedEncoding, SNIFF_BYTES } from '../encoding/sniff-encoding.js';
import { incompleteUtf8Tail } from '../encoding/utf8.js';
import { Utf16Decoder } from '../encoding/utf16.js';
import { isGzipped, readPrefix } from './byte-stream.js';
import {
  type CsvDialect,
  detectDelimiter,
  detectLineEnding,
  detectQuoting,
  splitSample,
} from './csv-dialect.js';
import { validateHeader } from './csv-header.js';
import type { ResolvedCsvOptions } from './csv-options.js';
import { CsvFormatError } from './errors.js';

/** What sniffing the start of a CSV file decided. */
export interface CsvSniff {
  dialect: CsvDialect;
  detected: DetectedEncoding;
  /** Field names of the records (header minus trailing error columns, declared, or `column_N`). */
  columns: string[];
  /** Number of header cells the parser will see (including dropped error columns); 0 without a header row. */
  headerWidth: number;
  /** How the file was scanned (the decoder scans it again to locate a byte that changed since). */
  scan: ScanOptions;
}

/** Decodes the sample (the scan already checked every byte of it). */
function decodeSample(bytes: Buffer, detected: DetectedEncoding, complete: boolean): string {
  let body = bytes.subarray(bomLength(detected));
  if (detected.encoding === 'utf-8') {
    if (!complete) body = body.subarray(0, body.length - incompleteUtf8Tail(body));
    return body.toString('utf8');
  }
  if (isSingleByte(detected.encoding)) return decodeSingleByte(body, detected.encoding);
  const decoder = new Utf16Decoder(detected.encoding === 'utf-16be');
  const text = decoder.write(body);
  return complete ? text + decoder.end().text : text;
}

function splitPreamble(text: string, count: number, breakChar: string): { preamble: string[]; rest: string } {
  const preamble: string[] = [];
  let at = 0;
  while (preamble.length < count && at < text.length) {
    const nl = text.indexOf(breakChar, at);
    const end = nl === -1 ? text.length : nl;
    preamble.push(text.slice(at, end).replace(/\r$/, ''));
    at = nl === -1 ? text.length : nl + 1;
  }
  return { preamble, rest: text.slice(at) };
}

function leadingSkippedLines(text: string, comment: string): number {
  let lines = 0;
  let at = 0;
  for (;;) {
    const nl = text.indexOf('\n', at);
    if (nl === -1) return lines;
    const line = text.slice(at, nl).replace(/\r$/, '');
    if (line !== '' && !(comment && line.startsWith(comment))) return lines;
    lines++;
    at = nl + 1;
  }
}

/**
 * Scans the whole file (`scanInput`: encoding decided or refused, every byte decodable, no
 * control characters, not empty), then decides dialect and columns from its first 64 KiB.
 */
export async function sniffCsv(options: ResolvedCsvOptions): Promise<CsvSniff> {
  const file = options.displayPath;
  const gzip = await isGzipped(options.path, options.gzip, file);
  const scan: ScanOptions = {
    path: options.path,
    file,
    gzip,
    encoding: options.encoding,
    invalidBytes: options.invalidBytes,
    allowEmpty: options.allowEmpty,
    allowEmptyOption: 'source.csv.allow_empty',
  };
  const detected = await scanInput(scan);
  const prefix = await readPrefix({ path: options.path, gzipped: gzip, file }, SNIFF_BYTES);
  const text = decodeSample(prefix.bytes, detected, prefix.complete);
  const lineEnding = detectLineEnding(text);
  const { preamble, rest } = splitPreamble(text, options.skipLines, lineEnding === '\r' ? '\r' : '\n');
  const syntax = { quote: options.quote, escape: options.escape, comment: options.comment };
  const delimiter =
    options.delimiter === 'auto' ? detectDelimiter(rest, syntax, prefix.complete) : options.delimiter;
  const records = splitSample(rest, { ...syntax, delimiter }, prefix.complete);
  const hasHeader = options.header === true;
  const headerRecord = hasHeader ? records[0] : undefined;
  if (hasHeader && !headerRecord && !prefix.complete) {
    throw new CsvFormatError(
      { file, line: options.skipLines + 1 },
      `${file}:${options.skipLines + 1}: no complete header record in the first ${SNIFF_BYTES / 1024} KiB; ` +
        'check `skip_lines`, `quote` and the delimiter (an unclosed quote in the header?)',
    );
  }
  let header = hasHeader ? (headerRecord?.cells ?? []).map((c) => (options.trim ? c.trim() : c)) : null;
  const headerWidth = header?.length ?? 0;
  if (header) {
    while (header.length > 0 && options.errorColumns.includes(header[header.length - 1]!))
      header = header.slice(0, -1);
    const line = options.skipLines + 1 + leadingSkippedLines(rest, options.comment);
    validateHeader(header, { file, line });
  }
  const data = hasHeader ? records.slice(1) : records;
  const width = header?.length ?? 0;
  const trimQuoting = (q: ReturnType<typeof detectQuoting>) =>
    typeof q === 'string' || !header ? q : q.slice(0, width);
  let columns: string[];
  if (Array.isArray(options.header)) columns = [...options.header];
  else if (header) columns = header;
  else columns = Array.from({ length: records[0]?.cells.length ?? 0 }, (_, i) => `column_${i + 1}`);
  return {
    detected,
    columns,
    headerWidth,
    scan,
    dialect: {
      delimiter,
      quote: options.quote,
      escape: options.escape,
      lineEnding,
      quoting: trimQuoting(detectQuoting(data.slice(0, 200), delimiter, options.quote)),
      headerQuoting: headerRecord
        ? trimQuoting(detectQuoting([headerRecord], delimiter, options.quote))
        : 'needed',
      encoding: detected.encoding,
      bom: detected.bom,
      gzip,
      preamble,
      header,
    },
  };
}
