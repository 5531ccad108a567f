import type StreamJsonParserClass from 'stream-json/Parser.js';

/** A packed token of stream-json's parser (numbers keep their source text in `value`). */
export interface JsonToken {
  name: string;
  value?: string | boolean | null;
}

/** A syntax error at a 1-based line and column (in characters). */
export class JsonSyntaxProblem extends Error {
  readonly line: number;
  readonly column: number;
  constructor(line: number, column: number, detail: string) {
    super(detail);
    this.line = line;
    this.column = column;
  }
}

/** The internals of stream-json 1.9's Parser that this module drives synchronously. */
interface ParserInternals {
  _expect: string;
  _stack: string[];
  _parent: string;
  _open_number: boolean;
  _accumulator: string;
  _buffer: string;
  _done: boolean;
  _transform(chunk: string, encoding: string, callback: (error?: Error | null) => void): void;
  _flush(callback: (error?: Error | null) => void): void;
  push(token: JsonToken): boolean;
}

type Snapshot = Pick<
  ParserInternals,
  '_expect' | '_stack' | '_parent' | '_open_number' | '_accumulator' | '_buffer'
>;

let StreamJsonParser: typeof StreamJsonParserClass | undefined;

/**
 * Imports stream-json's parser once (~10 ms of start-up, so not at load); a `JsonTokenizer` needs
 * it: the JSON and JSONL sources call this when they open.
 */
export async function loadJsonParser(): Promise<void> {
  StreamJsonParser ??= (await import('stream-json/Parser.js')).default;
}

function newParser(onToken: (token: JsonToken) => void): ParserInternals {
  if (!StreamJsonParser) throw new Error('JsonTokenizer needs stream-json: await loadJsonParser() first');
  const parser = new StreamJsonParser({
    packValues: true,
    streamValues: false,
  }) as unknown as ParserInternals;
  parser.push = (token) => {
    onToken(token);
    return true;
  };
  return parser;
}

function run(step: (callback: (error?: Error | null) => void) => void): Error | null {
  let failure: Error | null = null;
  step((error) => {
    failure = error ?? null;
  });
  return failure;
}

/**
 * Drives stream-json's parser synchronously, one line at a time, so every token is known with
 * the line it was read on and a syntax error gets an exact line and column.
 */
export class JsonTokenizer {
  /** Line of the next character (1-based). */
  line = 1;
  /** Column of the next character (1-based, in UTF-16 code units). */
  column = 1;
  private parser: ParserInternals;
  private readonly onToken: (token: JsonToken, line: number) => void;

  constructor(onToken: (token: JsonToken, line: number) => void, options: { jsonStreaming?: boolean } = {}) {
    this.onToken = onToken;
    this.parser = newParser((token) => this.onToken(token, this.line));
    (this.parser as unknown as { _jsonStreaming: boolean })._jsonStreaming = options.jsonStreaming ?? false;
  }

  /** Starts a new document (JSONL: each line), keeping the position. */
  reset(): void {
    Object.assign(this.parser, {
      _expect: 'value',
      _stack: [],
      _parent: '',
      _open_number: false,
      _accumulator: '',
    });
    Object.assign(this.parser, { _buffer: '', _done: false });
  }

  /** The piece of text (at most one line, starting at `column`) being parsed while tokens are emitted. */
  piece = '';

  /** Feeds decoded text; throws `JsonSyntaxProblem` at the first error. */
  write(text: string): void {
    let at = 0;
    while (at < text.length) {
      const nl = text.indexOf('\n', at);
      const end = nl === -1 ? text.length : nl + 1;
      const piece = text.slice(at, end);
      this.piece = piece;
      const snapshot = this.snapshot();
      const error = run((cb) => this.parser._transform(piece, 'utf8', cb));
      if (error) throw this.locate(snapshot, piece, error);
      if (nl === -1) this.column += piece.length;
      else {
        this.line++;
        this.column = 1;
      }
      at = end;
    }
  }

  /** Ends the input; throws `JsonSyntaxProblem` at the end position when the document is incomplete. */
  end(): void {
    const error = run((cb) => this.parser._flush(cb));
    if (error) throw new JsonSyntaxProblem(this.line, this.column, error.message);
  }

  private snapshot(): Snapshot {
    const p = this.parser;
    return {
      _expect: p._expect,
      _stack: p._stack.slice(),
      _parent: p._parent,
      _open_number: p._open_number,
      _accumulator: p._accumulator,
      _buffer: p._buffer,
    };
  }

  /** Replays the failing line one character at a time to find the column of the error. */
  private locate(snapshot: Snapshot, piece: string, error: Error): JsonSyntaxProblem {
    const probe = newParser(() => undefined);
    Object.assign(probe, snapshot, { _stack: snapshot._stack.slice() });
    (probe as unknown as { _transform: unknown })._transform = (
      probe as unknown as { _transformString: unknown }
    )._transformString;
    for (let k = 0; k < piece.length; k++) {
      const failure = run((cb) => probe._transform(piece[k]!, 'utf8', cb));
      if (failure) {
        const offset = Math.max(0, k + 1 - probe._buffer.length);
        return new JsonSyntaxProblem(this.line, this.column + offset, failure.message);
      }
    }
    return new JsonSyntaxProblem(this.line, this.column, error.message);
  }
}
