import type { CsvErrorCode } from 'csv-parse';

/** A syntax error of `CsvTokenizer`: csv-parse's code, message and `lines` (`csvErrorOf` makes its CsvError). */
export interface CsvSyntaxFailure {
  code: CsvErrorCode;
  message: string;
  lines: number;
}

/** The CSV syntax `CsvTokenizer` reads: what csv-parse would do with these options, faster. */
export interface CsvTokenizerOptions {
  /** Field separator: one ASCII character other than CR, LF and the quote. */
  delimiter: string;
  /** Quote character (ASCII), escaped by doubling it; empty turns quoting off. */
  quote: string;
  /** csv-parse's `max_record_size`: characters of the record's finished fields plus UTF-8 bytes of the current one. */
  maxRecordSize: number;
  /** The line break counted in each record's cells (`\n`, or `\r` for a CR file). */
  breakChar: string;
}

/** Records tokenized from one chunk; `breaks[i]` is the count of `breakChar` in `cells[i]`, or -1 when not counted. */
export interface CsvRows {
  cells: string[][];
  breaks: number[];
}

const LF = 10;
const CR = 13;
const START = 0;
const UNQUOTED = 1;
const QUOTED = 2;

/** Whether `CsvTokenizer` covers a dialect; the others go through csv-parse. */
export function tokenizerCovers(syntax: {
  delimiter: string;
  quote: string;
  escape: string;
  comment: string;
  trim: boolean;
  relaxQuotes: boolean;
}): boolean {
  const ascii = (text: string) => text.length === 1 && text.charCodeAt(0) < 0x80;
  return (
    ascii(syntax.delimiter) &&
    !'\r\n'.includes(syntax.delimiter) &&
    (syntax.quote === '' || (ascii(syntax.quote) && syntax.escape === syntax.quote)) &&
    syntax.delimiter !== syntax.quote &&
    syntax.comment === '' &&
    !syntax.trim &&
    !syntax.relaxQuotes
  );
}

function countBreaks(text: string, end: number): number {
  let n = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < end; at = text.indexOf('\n', at + 1)) n++;
  for (let at = text.indexOf('\r'); at !== -1 && at < end; at = text.indexOf('\r', at + 1)) n++;
  return n;
}

/**
 * A CSV tokenizer over decoded text chunks for the common dialect (one-character delimiter,
 * doubled-quote escape, no comments, no trim). It gives the records csv-parse gives with
 * `relax_column_count`, and the same errors (code and `lines`), but finds fields with indexOf
 * instead of looking at every byte. Chunks may split the text anywhere. After an error,
 * `failure` is set: the records before it are still returned, later input is ignored.
 */
export class CsvTokenizer {
  /** The first syntax error, as csv-parse would raise it (code and `lines`). */
  failure: CsvSyntaxFailure | undefined;
  private readonly delimiter: string;
  private readonly quote: string;
  private readonly quoteCode: number;
  private readonly delimiterCode: number;
  private readonly maxRecordSize: number;
  private readonly breakChar: string;
  /** Record delimiter, discovered like csv-parse: the first CR LF, LF or CR outside quotes. */
  private rd = '';
  private carry = '';
  private row: string[] = [];
  private mode = START;
  /** Content of the current field read from earlier chunks. */
  private field = '';
  /** Characters of the finished fields of the current record (csv-parse's `record_length`). */
  private recordChars = 0;
  /** csv-parse's `lines` at the start of the current chunk. */
  private linesBase = 1;
  /** CR LF record delimiters in the current chunk (csv-parse counts each as one line, not two). */
  private rdPairs = 0;
  private lastChar = -1;

  constructor(options: CsvTokenizerOptions) {
    this.delimiter = options.delimiter;
    this.delimiterCode = options.delimiter.charCodeAt(0);
    this.quote = options.quote;
    this.quoteCode = options.quote === '' ? -1 : options.quote.charCodeAt(0);
    this.maxRecordSize = options.maxRecordSize;
    this.breakChar = options.breakChar;
  }

  /** Tokenizes the next chunk of text; complete records are appended to `out`. */
  push(text: string, out: CsvRows): void {
    if (this.failure) return;
    const buf = this.carry === '' ? text : this.carry + text;
    this.carry = '';
    this.run(buf, false, out);
  }

  /** Ends the input: the last record, or the error of an unclosed quote. */
  end(out: CsvRows): void {
    if (this.failure) return;
    const buf = this.carry;
    this.carry = '';
    this.run(buf, true, out);
  }

  private emit(out: CsvRows, breaks: number): void {
    out.cells.push(this.row);
    out.breaks.push(breaks);
    this.row = [];
    this.recordChars = 0;
  }

  private pushField(value: string): void {
    this.row.push(value);
    this.recordChars += value.length;
  }

  /** Occurrences of `breakChar` in `text[from, to)`. */
  private countBreakChars(text: string, from: number, to: number): number {
    const char = this.breakChar;
    let n = 0;
    for (let at = text.indexOf(char, from); at !== -1 && at < to; at = text.indexOf(char, at + 1)) n++;
    return n;
  }

  /** csv-parse's `lines` at offset `at` of the current chunk `buf`. */
  private lineAt(buf: string, at: number): number {
    return this.linesBase + countBreaks(buf, at) - this.rdPairs;
  }

  private fail(code: CsvErrorCode, what: string, lines: number): void {
    this.failure = { code, message: `${what} at line ${lines}`, lines };
  }

  /**
   * csv-parse's max_record_size check on the current field, whose raw text is `buf[from, to)`
   * after `this.field` (content from earlier chunks), quoted when the mode is QUOTED: fails at
   * the character where it would trip.
   */
  private oversize(buf: string, from: number, to: number): boolean {
    const prefix = this.field;
    const quoted = this.mode === QUOTED;
    const room = this.maxRecordSize - this.recordChars;
    if (3 * (prefix.length + to - from) <= room + 1) return false;
    let bytes = Buffer.byteLength(prefix);
    for (let i = from; i < to; i++) {
      const c = buf.charCodeAt(i);
      let size = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
      if (quoted && c === this.quoteCode) i++; // the first of a doubled quote is not content
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) size = 4;
      if (bytes + size - 1 > room) {
        this.fail(
          'CSV_MAX_RECORD_SIZE',
          'Max Record Size: record exceed the maximum number of tolerated bytes',
          this.lineAt(buf, i),
        );
        return true;
      }
      bytes += size;
      if (size === 4) i++;
    }
    return false;
  }

  private run(buf: string, final: boolean, out: CsvRows): void {
    const n = buf.length;
    const { delimiter, quote, quoteCode, delimiterCode } = this;
    let pos = 0;
    let nextDelim = -1; // cached: next delimiter at or after pos (n when none)
    let nextQuote = quote === '' ? n : -1;
    let nextRd = -1;
    let nextBreak = -1;
    let nextLf = -1; // before the record delimiter is known: next LF and CR
    let nextCr = -1;
    let fieldStart = 0; // where the current field's raw text starts in buf
    const room = this.maxRecordSize + 1;
    // An open field is saved (or, at the end, finished) even when no text is left.
    while (pos < n || this.mode !== START) {
      if (this.mode === START) {
        if (this.row.length === 0 && this.rd !== '') {
          const rd = this.rd;
          if (nextRd < pos) nextRd = buf.indexOf(rd, pos) >>> 0;
          const nl = Math.min(nextRd, n);
          if (nextQuote < pos) nextQuote = Math.min(buf.indexOf(quote, pos) >>> 0, n);
          if (nl < n && nextQuote > nl && 3 * (nl - pos) <= room) {
            // The whole line is unquoted: split it.
            const cells: string[] = [];
            if (nextDelim < pos) nextDelim = Math.min(buf.indexOf(delimiter, pos) >>> 0, n);
            let start = pos;
            let d = nextDelim;
            while (d < nl) {
              cells.push(buf.slice(start, d));
              start = d + 1;
              d = Math.min(buf.indexOf(delimiter, start) >>> 0, n);
            }
            nextDelim = d;
            cells.push(buf.slice(start, nl));
            let breaks = 0;
            if (this.breakChar !== rd) {
              if (nextBreak < pos) nextBreak = Math.min(buf.indexOf(this.breakChar, pos) >>> 0, n);
              if (nextBreak < nl) breaks = this.countBreakChars(buf, pos, nl);
            }
            out.cells.push(cells);
            out.breaks.push(breaks);
            pos = nl + rd.length;
            if (rd.length === 2) this.rdPairs++;
            continue;
          }
        }
        this.field = '';
        if (buf.charCodeAt(pos) === quoteCode) {
          this.mode = QUOTED;
          pos++;
        } else {
          this.mode = UNQUOTED;
        }
        fieldStart = pos;
        continue;
      }
      if (this.mode === UNQUOTED) {
        if (nextDelim < pos) nextDelim = Math.min(buf.indexOf(delimiter, pos) >>> 0, n);
        if (nextQuote < pos) nextQuote = Math.min(buf.indexOf(quote, pos) >>> 0, n);
        let r: number;
        if (this.rd !== '') {
          if (nextRd < pos) nextRd = buf.indexOf(this.rd, pos) >>> 0;
          r = Math.min(nextRd, n);
        } else {
          if (nextLf < pos) nextLf = Math.min(buf.indexOf('\n', pos) >>> 0, n);
          if (nextCr < pos) nextCr = Math.min(buf.indexOf('\r', pos) >>> 0, n);
          r = Math.min(nextLf, nextCr);
          if (r === n - 1 && !final && buf.charCodeAt(r) === CR) r = n; // CR LF or CR: needs the next chunk
        }
        const end = Math.min(nextDelim, r);
        if (nextQuote < end) {
          if (this.oversize(buf, fieldStart, nextQuote)) return;
          this.fail(
            'INVALID_OPENING_QUOTE',
            'Invalid Opening Quote: a quote is found on a field',
            this.lineAt(buf, nextQuote),
          );
          return;
        }
        if (end < n) {
          if (this.oversize(buf, fieldStart, end)) return;
          this.pushField(
            this.field === '' ? buf.slice(fieldStart, end) : this.field + buf.slice(fieldStart, end),
          );
          this.mode = START;
          if (end === nextDelim) {
            pos = end + 1;
            continue;
          }
          if (this.rd === '') {
            const c = buf.charCodeAt(end);
            this.rd = c === LF ? '\n' : buf.charCodeAt(end + 1) === LF ? '\r\n' : '\r';
          }
          this.emit(out, -1);
          pos = end + this.rd.length;
          if (this.rd.length === 2) this.rdPairs++;
          continue;
        }
        // No delimiter or record end in this chunk.
        const stop =
          !final && this.rd !== '\n' && this.rd !== '\r' && buf.charCodeAt(n - 1) === CR ? n - 1 : n;
        if (this.oversize(buf, fieldStart, stop)) return;
        const value = this.field + buf.slice(fieldStart, stop);
        if (final) {
          this.pushField(value);
          this.emit(out, -1);
          this.mode = START;
        } else {
          this.field = value;
          if (value === '') this.mode = START;
        }
        pos = stop;
        break;
      }
      // QUOTED: content from fieldStart (after the opening quote, or the chunk start) to the next quote.
      if (nextQuote < pos) nextQuote = Math.min(buf.indexOf(quote, pos) >>> 0, n);
      const q = nextQuote;
      if (q >= n) {
        if (this.oversize(buf, fieldStart, n)) return;
        if (final) {
          const last = n > 0 ? buf.charCodeAt(n - 1) : this.lastChar;
          const lines =
            this.linesBase + countBreaks(buf, n) - this.rdPairs - (last === LF || last === CR ? 1 : 0);
          this.failure = {
            code: 'CSV_QUOTE_NOT_CLOSED',
            message: `Quote Not Closed: the parsing is finished with an opening quote at line ${lines}`,
            lines,
          };
          return;
        }
        this.field = this.field + unquote(buf.slice(fieldStart, n), quote);
        pos = n;
        break;
      }
      const next = q + 1 < n ? buf.charCodeAt(q + 1) : -1;
      if (next === quoteCode) {
        pos = q + 2;
        continue;
      }
      const rd = this.rd;
      let closes = next === delimiterCode || next === 0 || (next === -1 && final);
      let needMore = next === -1 && !final;
      if (!closes && !needMore && (next === LF || next === CR)) {
        const after = q + 2 < n ? buf.charCodeAt(q + 2) : -1;
        if (rd === '' || rd === '\r\n') {
          if (next === CR && after === -1 && !final) needMore = true;
          else if (rd === '') {
            this.rd = next === LF ? '\n' : after === LF ? '\r\n' : '\r';
            closes = true;
          } else closes = next === CR && after === LF;
        } else closes = next === rd.charCodeAt(0);
      }
      if (needMore) {
        if (this.oversize(buf, fieldStart, q)) return;
        this.field = this.field + unquote(buf.slice(fieldStart, q), quote);
        pos = q;
        break;
      }
      if (this.oversize(buf, fieldStart, q)) return;
      if (!closes) {
        this.fail(
          'CSV_INVALID_CLOSING_QUOTE',
          'Invalid Closing Quote: a quote is followed by a character',
          this.lineAt(buf, q),
        );
        return;
      }
      const value = this.field + unquote(buf.slice(fieldStart, q), quote);
      if (next === 0) {
        // csv-parse closes a quote before a NUL and reads on unquoted: `"a"\0b` is `a\0b`.
        this.mode = UNQUOTED;
        this.field = value;
        fieldStart = q + 1;
        pos = q + 1;
        continue;
      }
      this.pushField(value);
      this.mode = START;
      if (next === delimiterCode) {
        pos = q + 2;
        continue;
      }
      this.emit(out, -1);
      pos = next === -1 ? n : q + 1 + this.rd.length;
      if (next !== -1 && this.rd.length === 2) this.rdPairs++;
    }
    if (final && this.mode === START && this.row.length > 0) {
      this.pushField('');
      this.emit(out, -1);
    }
    this.linesBase += countBreaks(buf, pos) - this.rdPairs;
    this.rdPairs = 0;
    if (pos > 0) this.lastChar = buf.charCodeAt(pos - 1);
    this.carry = buf.slice(pos);
  }
}

function unquote(text: string, quote: string): string {
  return text.indexOf(quote) === -1 ? text : text.replaceAll(quote + quote, quote);
}
