import { decodeJsonString, numberProblem } from './json-scalars.js';

/** The token names, in stream-json's vocabulary (the tokens its packed parser emitted). */
export type JsonTokenName =
  | 'startObject'
  | 'endObject'
  | 'startArray'
  | 'endArray'
  | 'keyValue'
  | 'stringValue'
  | 'numberValue'
  | 'trueValue'
  | 'falseValue'
  | 'nullValue';

/** One token: strings and keys decoded, numbers as their exact source text (never a JS double). */
export interface JsonToken {
  name: JsonTokenName;
  value?: string | boolean | null;
}

/** A syntax error at a 1-based line and column (in UTF-16 code units). */
export class JsonSyntaxProblem extends Error {
  readonly line: number;
  readonly column: number;
  constructor(line: number, column: number, detail: string) {
    super(detail);
    this.line = line;
    this.column = column;
  }
}

/** Options of a `JsonTokenizer`. */
export interface JsonTokenizerOptions {
  /** Line number of the first character written (e.g. a JSONL line's number); default 1. */
  line?: number;
}

// What the tokenizer expects next (outside a token) or which token it is inside.
const VALUE = 0; // after `:`, after `,` in an array, or at the root
const FIRST_VALUE = 1; // after `[`: a value or `]`
const KEY = 2; // after `,` in an object
const FIRST_KEY = 3; // after `{`: a key or `}`
const COLON = 4;
const AFTER = 5; // after a value in an array or object: `,` or the closing bracket
const DONE = 6; // after the root value: only whitespace
const STRING = 7;
const NUMBER = 8;
const WORD = 9;

const OBJECT = 0;
const ARRAY = 1;

const START_OBJECT: JsonToken = { name: 'startObject' };
const END_OBJECT: JsonToken = { name: 'endObject' };
const START_ARRAY: JsonToken = { name: 'startArray' };
const END_ARRAY: JsonToken = { name: 'endArray' };
const LITERALS: Record<string, JsonToken> = {
  true: { name: 'trueValue', value: true },
  false: { name: 'falseValue', value: false },
  null: { name: 'nullValue', value: null },
};

/** Characters a number token is read through (checked against the grammar once it ends). */
const inNumber = (c: number): boolean =>
  (c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45;
const isLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

/**
 * A strict (RFC 8259) streaming JSON tokenizer over decoded text chunks, split anywhere. Every
 * token is emitted with the line it starts on (`tokenLine`/`tokenColumn` hold its position during
 * the callback); every syntax error is a `JsonSyntaxProblem` at the exact line and column. Numbers
 * stay source text. Memory is bounded by the longest string or number, not by the document.
 */
export class JsonTokenizer {
  /** Line of the token being emitted (1-based). */
  tokenLine = 0;
  /** Column of the token being emitted (1-based, UTF-16 code units). */
  tokenColumn = 0;
  /**
   * For a `stringValue`/`keyValue` being emitted: where its first escape writing a C0 control
   * character other than tab, LF and CR (`\u0000`, `\b`, `\f`...) starts; otherwise undefined.
   */
  controlEscape: { line: number; column: number } | undefined;

  private state = VALUE;
  private readonly stack: number[] = [];
  private currentLine: number;
  /** Offset (in all text written) of the first character of the current line. */
  private lineStart = 0;
  /** Offset (in all text written) of the current chunk's first character. */
  private base = 0;
  /** Pieces of a string, number or word that spans chunks. */
  private pieces: string[] = [];
  private isKey = false;
  private hasEscape = false;
  /** The last chunk ended right after a backslash in a string: the next character is escaped. */
  private skipNext = false;
  private readonly onToken: (token: JsonToken, line: number) => void;

  constructor(onToken: (token: JsonToken, line: number) => void, options: JsonTokenizerOptions = {}) {
    this.onToken = onToken;
    this.currentLine = options.line ?? 1;
  }

  /** Line of the next character (1-based). */
  get line(): number {
    return this.currentLine;
  }

  /** Column of the next character after the last `write` (1-based, UTF-16 code units). */
  get column(): number {
    return this.base - this.lineStart + 1;
  }

  /** Feeds decoded text; throws `JsonSyntaxProblem` at the first error. */
  write(text: string): void {
    const n = text.length;
    let i = 0;
    if (this.state === STRING) i = this.string(text, 0);
    else if (this.state === NUMBER) i = this.bare(text, 0, NUMBER);
    else if (this.state === WORD) i = this.bare(text, 0, WORD);
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) {
        if (c === 10) {
          this.currentLine++;
          this.lineStart = this.base + i + 1;
        }
        i++;
        continue;
      }
      switch (this.state) {
        case VALUE:
        case FIRST_VALUE:
          i = this.value(text, i, c);
          break;
        case KEY:
        case FIRST_KEY:
          if (c === 34) {
            this.isKey = true;
            this.startToken(i);
            i = this.string(text, i + 1);
          } else if (c === 125 && this.state === FIRST_KEY) {
            i = this.close(i, OBJECT);
          } else throw this.unexpected(i, c);
          break;
        case COLON:
          if (c !== 58) throw this.unexpected(i, c);
          this.state = VALUE;
          i++;
          break;
        case AFTER:
          if (c === 44) {
            this.state = this.stack[this.stack.length - 1] === ARRAY ? VALUE : KEY;
            i++;
          } else if (c === 93 || c === 125) {
            i = this.close(i, c === 93 ? ARRAY : OBJECT);
          } else throw this.unexpected(i, c);
          break;
        default:
          throw this.unexpected(i, c);
      }
    }
    this.base += n;
  }

  /** Ends the input; throws `JsonSyntaxProblem` at the end position when the document is incomplete. */
  end(): void {
    if (this.state === NUMBER) this.endNumber(this.pieces.join(''));
    else if (this.state === WORD) {
      const word = this.pieces.join('');
      if (!['true', 'false', 'null'].some((literal) => literal.startsWith(word) && literal !== word))
        this.endWord(word);
    }
    if (this.state !== DONE) {
      const detail =
        this.state === VALUE && this.stack.length === 0 && this.tokenLine === 0
          ? 'expected a value, but there is none'
          : 'the input ends before the JSON value is complete';
      throw new JsonSyntaxProblem(this.line, this.column, detail);
    }
  }

  private value(text: string, i: number, c: number): number {
    if (c === 34) {
      this.isKey = false;
      this.startToken(i);
      return this.string(text, i + 1);
    }
    if (c === 123 || c === 91) {
      this.startToken(i);
      this.stack.push(c === 123 ? OBJECT : ARRAY);
      this.state = c === 123 ? FIRST_KEY : FIRST_VALUE;
      this.onToken(c === 123 ? START_OBJECT : START_ARRAY, this.tokenLine);
      return i + 1;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      this.startToken(i);
      return this.bare(text, i, NUMBER);
    }
    if (isLetter(c)) {
      this.startToken(i);
      return this.bare(text, i, WORD);
    }
    if (c === 93 && this.state === FIRST_VALUE) return this.close(i, ARRAY);
    throw this.unexpected(i, c);
  }

  private startToken(i: number): void {
    this.tokenLine = this.currentLine;
    this.tokenColumn = this.base + i - this.lineStart + 1;
  }

  /** Reads a string's characters from `from` (after the opening quote or at a chunk start). */
  private string(text: string, from: number): number {
    const n = text.length;
    let j = from;
    this.state = STRING;
    if (this.skipNext && j < n) {
      this.skipNext = false;
      if (text.charCodeAt(j) < 32) throw this.rawControl(j, text.charCodeAt(j));
      j++;
    }
    for (; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === 34) break;
      if (c === 92) {
        this.hasEscape = true;
        if (++j >= n) this.skipNext = true;
        else if (text.charCodeAt(j) < 32) throw this.rawControl(j, text.charCodeAt(j));
      } else if (c < 32) throw this.rawControl(j, c);
    }
    const raw = this.tokenText(text, from, j);
    if (raw === undefined) return n;
    this.endString(raw);
    return j + 1;
  }

  /**
   * The text of the token being read that ends at `end`, with the pieces earlier chunks held; or,
   * when the chunk ends first (`end` = its length), keeps this chunk's piece and returns undefined.
   */
  private tokenText(text: string, start: number, end: number): string | undefined {
    if (end >= text.length) {
      this.pieces.push(text.slice(start));
      return undefined;
    }
    const last = text.slice(start, end);
    if (this.pieces.length === 0) return last;
    const whole = this.pieces.join('') + last;
    this.pieces = [];
    return whole;
  }

  private endString(raw: string): void {
    let value = raw;
    this.controlEscape = undefined;
    if (this.hasEscape) {
      this.hasEscape = false;
      const decoded = decodeJsonString(raw);
      if (!('value' in decoded)) {
        throw new JsonSyntaxProblem(this.tokenLine, this.tokenColumn + 1 + decoded.at, decoded.detail);
      }
      value = decoded.value;
      if (decoded.controlAt >= 0)
        this.controlEscape = { line: this.tokenLine, column: this.tokenColumn + 1 + decoded.controlAt };
    }
    if (this.isKey) {
      this.state = COLON;
      this.onToken({ name: 'keyValue', value }, this.tokenLine);
    } else {
      this.valueDone();
      this.onToken({ name: 'stringValue', value }, this.tokenLine);
    }
  }

  /**
   * Reads a number (`kind` NUMBER: through digits, `.`, `e`, `E`, `+`, `-`; the grammar is checked
   * once it ends) or a bare word (WORD: letters; only true, false and null are values) from `from`.
   */
  private bare(text: string, from: number, kind: number): number {
    const n = text.length;
    let j = from;
    this.state = kind;
    if (kind === NUMBER) while (j < n && inNumber(text.charCodeAt(j))) j++;
    else while (j < n && isLetter(text.charCodeAt(j))) j++;
    const source = this.tokenText(text, from, j);
    if (source === undefined) return n;
    if (kind === NUMBER) this.endNumber(source);
    else this.endWord(source);
    return j;
  }

  private endNumber(source: string): void {
    this.pieces = [];
    const problem = numberProblem(source);
    if (problem) throw new JsonSyntaxProblem(this.tokenLine, this.tokenColumn + problem.at, problem.detail);
    this.valueDone();
    this.onToken({ name: 'numberValue', value: source }, this.tokenLine);
  }

  private endWord(word: string): void {
    this.pieces = [];
    const literal = LITERALS[word];
    if (!literal) {
      throw new JsonSyntaxProblem(
        this.tokenLine,
        this.tokenColumn,
        `\`${word.length > 20 ? `${word.slice(0, 20)}...` : word}\` is not a JSON value (expected a string in double quotes, a number, an object, an array, true, false or null)`,
      );
    }
    this.valueDone();
    this.onToken(literal, this.tokenLine);
  }

  /** Sets the state after a complete value (before its token is emitted, so a callback sees the new state). */
  private valueDone(): void {
    this.state = this.stack.length === 0 ? DONE : AFTER;
  }

  private close(i: number, kind: number): number {
    if (this.stack[this.stack.length - 1] !== kind) throw this.unexpected(i, kind === ARRAY ? 93 : 125);
    this.stack.pop();
    this.startToken(i);
    this.valueDone();
    this.onToken(kind === ARRAY ? END_ARRAY : END_OBJECT, this.tokenLine);
    return i + 1;
  }

  private at(i: number, detail: string): JsonSyntaxProblem {
    return new JsonSyntaxProblem(this.currentLine, this.base + i - this.lineStart + 1, detail);
  }

  private rawControl(i: number, c: number): JsonSyntaxProblem {
    const what =
      c === 10 || c === 13
        ? 'a line break inside a string (write it as \\n or \\r)'
        : c === 9
          ? 'a raw tab inside a string (write it as \\t)'
          : `a raw control character U+${c.toString(16).toUpperCase().padStart(4, '0')} inside a string`;
    return this.at(i, `${what}, or the string's closing quote is missing`);
  }

  /** The error for character `c` at `i` where the current state does not allow it. */
  private unexpected(i: number, c: number): JsonSyntaxProblem {
    const top = this.stack[this.stack.length - 1];
    const closer = top === ARRAY ? "']'" : "'}'";
    if (c === 47) return this.at(i, 'comments are not JSON');
    if (c === 39) return this.at(i, 'strings and keys must be in double quotes, not single quotes');
    if (this.state === VALUE || this.state === FIRST_VALUE) {
      if (c === 43) return this.at(i, 'a number cannot start with `+`');
      if (c === 46) return this.at(i, 'a number cannot start with `.` (write 0.5, not .5)');
    }
    switch (this.state) {
      case VALUE:
        if (c === 93 && top === ARRAY) return this.at(i, "a trailing comma before ']' is not JSON");
        return this.at(i, 'expected a value');
      case FIRST_VALUE:
        return this.at(i, "expected a value or ']'");
      case KEY:
        if (c === 125) return this.at(i, "a trailing comma before '}' is not JSON");
        return this.at(i, 'expected an object key');
      case FIRST_KEY:
        return this.at(i, "expected an object key or '}'");
      case COLON:
        return this.at(i, "expected ':' after the object key");
      case AFTER:
        return this.at(i, `expected ',' or ${closer} after a value`);
      default:
        return this.at(i, 'unexpected text after the end of the JSON document');
    }
  }
}
