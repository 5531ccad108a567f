import type { TextEncoding } from '../encoding/text-encoding.js';

/** Line ending of a CSV file. */
export type LineEnding = '\r\n' | '\n' | '\r';

/** Which fields are quoted: every field, only those that need it, or per column (true = quoted). */
export type CsvQuoting = 'all' | 'needed' | readonly boolean[];

/**
 * The exact shape of a CSV file as read (declared options plus what was detected), so a writer
 * can produce a file the same job reads back: the rejects file uses it byte for byte.
 */
export interface CsvDialect {
  /** Field separator, e.g. `;`. */
  delimiter: string;
  /** Quote character; empty when quoting is off. */
  quote: string;
  /** Character that escapes a quote inside a quoted field (the quote itself when doubled: `""`). */
  escape: string;
  /** Line ending of the file (the first one seen; LF when the file has a single line). */
  lineEnding: LineEnding;
  /** How data fields were quoted in the first records. */
  quoting: CsvQuoting;
  /** How the header fields were quoted. */
  headerQuoting: CsvQuoting;
  /** Encoding the file was decoded from. */
  encoding: TextEncoding;
  /** True when the file starts with a byte order mark. */
  bom: boolean;
  /** True when the file was gzipped. */
  gzip: boolean;
  /** The lines skipped by `skipLines`, verbatim without their line ending. */
  preamble: readonly string[];
  /** The header cells as written in the file, or null when the job declares its columns. */
  header: readonly string[] | null;
}

/** One record of the sniffed sample: cell texts (unquoted) and whether each was quoted. */
export interface SampleRecord {
  cells: string[];
  quoted: boolean[];
}

/** Splitting rules for the sample; `quote` may be empty (no quoting). */
export interface SampleSyntax {
  delimiter: string;
  quote: string;
  escape: string;
  comment: string;
}

/**
 * Splits a decoded sample into records, quote-aware, skipping blank and comment lines. When
 * `complete` is false the last (possibly cut) record is dropped.
 */
export function splitSample(text: string, syntax: SampleSyntax, complete: boolean): SampleRecord[] {
  const { delimiter, quote, escape: esc, comment } = syntax;
  const records: SampleRecord[] = [];
  let cells: string[] = [];
  let quoted: boolean[] = [];
  let cell = '';
  let isQuoted = false;
  let inQuotes = false;
  let atLineStart = true;
  let i = 0;
  const endCell = (): void => {
    cells.push(cell);
    quoted.push(isQuoted);
    cell = '';
    isQuoted = false;
  };
  const endRecord = (): void => {
    endCell();
    if (!(cells.length === 1 && cells[0] === '' && !quoted[0])) records.push({ cells, quoted });
    cells = [];
    quoted = [];
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === esc && esc !== quote && text[i + 1] === quote) {
        cell += quote;
        i += 2;
      } else if (ch === quote && esc === quote && text[i + 1] === quote) {
        cell += quote;
        i += 2;
      } else if (ch === quote) {
        inQuotes = false;
        i++;
      } else {
        cell += ch;
        i++;
      }
      continue;
    }
    if (atLineStart && comment && text.startsWith(comment, i)) {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl + 1;
      continue;
    }
    atLineStart = false;
    if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      atLineStart = true;
    } else if (text.startsWith(delimiter, i)) {
      endCell();
      i += delimiter.length;
    } else if (quote && ch === quote && cell === '') {
      inQuotes = true;
      isQuoted = true;
      i++;
    } else {
      cell += ch;
      i++;
    }
  }
  if (complete && (cell !== '' || cells.length > 0 || isQuoted) && !inQuotes) endRecord();
  return records;
}

/** Delimiters `delimiter: auto` chooses among, in order of preference on a tie. */
export const DELIMITER_CANDIDATES: readonly string[] = [';', ',', '\t', '|'];

/**
 * Picks the delimiter that splits the first records into the same number of fields most
 * consistently (quote-aware), preferring more fields, then the order of `DELIMITER_CANDIDATES`.
 * Falls back to `,` when no candidate occurs (a single-column file).
 */
export function detectDelimiter(
  text: string,
  syntax: Omit<SampleSyntax, 'delimiter'>,
  complete: boolean,
): string {
  let best = { delimiter: ',', consistency: 0, fields: 1 };
  for (const delimiter of DELIMITER_CANDIDATES) {
    const records = splitSample(text, { ...syntax, delimiter }, complete).slice(0, 100);
    if (records.length === 0) continue;
    const counts = new Map<number, number>();
    for (const r of records) counts.set(r.cells.length, (counts.get(r.cells.length) ?? 0) + 1);
    let mode = 1;
    let modeCount = 0;
    for (const [fields, n] of counts)
      if (n > modeCount || (n === modeCount && fields > mode)) [mode, modeCount] = [fields, n];
    if (mode < 2) continue;
    const consistency = modeCount / records.length;
    if (consistency > best.consistency || (consistency === best.consistency && mode > best.fields)) {
      best = { delimiter, consistency, fields: mode };
    }
  }
  return best.delimiter;
}

/** The first line ending outside quotes; LF when there is none. */
export function detectLineEnding(text: string): LineEnding {
  const lf = text.indexOf('\n');
  const cr = text.indexOf('\r');
  if (cr !== -1 && (lf === -1 || cr < lf - 1)) return '\r';
  if (lf === -1) return '\n';
  return lf > 0 && text[lf - 1] === '\r' ? '\r\n' : '\n';
}

/** Whether a field must be quoted to survive a round trip: it holds the delimiter, a quote or a line break. */
export function needsQuotes(value: string, delimiter: string, quote: string): boolean {
  return (
    value.includes(delimiter) ||
    (quote !== '' && value.includes(quote)) ||
    value.includes('\n') ||
    value.includes('\r')
  );
}

/** Describes how the sampled records were quoted: all, only where needed, or per column. */
export function detectQuoting(
  records: readonly SampleRecord[],
  delimiter: string,
  quote: string,
): CsvQuoting {
  if (records.length === 0 || quote === '') return 'needed';
  let all = true;
  let minimal = true;
  const width = Math.max(...records.map((r) => r.cells.length));
  const columnAlways: boolean[] = Array.from({ length: width }, () => true);
  for (const r of records) {
    for (let c = 0; c < width; c++) {
      const isQuoted = r.quoted[c] ?? false;
      const value = r.cells[c] ?? '';
      if (!isQuoted) all = false;
      if (isQuoted !== needsQuotes(value, delimiter, quote)) minimal = false;
      if (!isQuoted && !needsQuotes(value, delimiter, quote)) columnAlways[c] = false;
    }
  }
  if (all) return 'all';
  if (minimal) return 'needed';
  return columnAlways;
}
