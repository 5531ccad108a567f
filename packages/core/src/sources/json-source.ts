import type { DetectedEncoding } from '../encoding/sniff-encoding.js';
import type { SourceRecord } from '../record.js';
import { asSourceError } from './byte-stream.js';
import { requireRecord } from './empty-input.js';
import { JsonFormatError } from './errors.js';
import { JsonArraySelector } from './json-array-selector.js';
import { checkJsonToken } from './json-control.js';
import {
  type JsonSourceOptions,
  type ResolvedJsonFileOptions,
  resolveJsonFileOptions,
} from './json-options.js';
import { parseJsonPointer } from './json-pointer.js';
import { JsonSyntaxProblem, JsonTokenizer } from './json-tokenizer.js';
import { openText, sniffTextFile, type TextFileSniff } from './open-text.js';

/** An opened JSON document whose records stream from the array at `pointer`. */
export interface JsonSource extends AsyncIterable<SourceRecord> {
  readonly format: 'json';
  /** Path as shown in origins and errors. */
  readonly file: string;
  /** JSON pointer of the records array (`''` = root). */
  readonly pointer: string;
  /** The encoding chosen, with the reason. */
  readonly detected: DetectedEncoding;
  /** True when the file was gzipped. */
  readonly gzip: boolean;
  /** Streams the records (each call reads the file again from the start). */
  records(): AsyncGenerator<SourceRecord>;
}

/** Validates options, sniffs the encoding and returns a source whose records stream on demand. */
export async function openJsonSource(options: JsonSourceOptions): Promise<JsonSource> {
  const resolved = resolveJsonFileOptions(options);
  const pointer = options.records ?? '';
  const segments = parseJsonPointer(pointer);
  const sniff = await sniffTextFile(resolved, 'json');
  const read = () =>
    requireRecord(readJsonRecords({ options: resolved, sniff, pointer, segments }), {
      file: resolved.displayPath,
      allowEmpty: resolved.allowEmpty,
      option: 'source.json.allow_empty',
      what: 'an empty array',
    });
  return {
    format: 'json',
    file: resolved.displayPath,
    pointer,
    detected: sniff.detected,
    gzip: sniff.gzip,
    records: read,
    [Symbol.asyncIterator]: read,
  };
}

function syntaxError(file: string, problem: JsonSyntaxProblem): JsonFormatError {
  return new JsonFormatError(
    { file, line: problem.line, column: problem.column },
    `${file}:${problem.line}:${problem.column}: invalid JSON: ${problem.message}; fix the file (for one object per line use a \`jsonl\` source)`,
  );
}

/** What `readJsonRecords` reads: the file, its sniffed encoding and the records array's pointer. */
interface JsonRead {
  options: ResolvedJsonFileOptions;
  sniff: TextFileSniff;
  /** JSON pointer of the records array, as written (for messages). */
  pointer: string;
  /** The pointer's decoded segments. */
  segments: readonly string[];
}

async function* readJsonRecords({
  options,
  sniff,
  pointer,
  segments,
}: JsonRead): AsyncGenerator<SourceRecord> {
  const file = options.displayPath;
  const selector = new JsonArraySelector(file, segments, pointer);
  const tokenizer: JsonTokenizer = new JsonTokenizer((token, line) => {
    checkJsonToken(file, token, tokenizer);
    selector.push(token, line);
  });
  const { bytes, text } = openText(options, sniff);
  try {
    for await (const chunk of text) {
      try {
        tokenizer.write(chunk);
      } catch (error) {
        if (error instanceof JsonSyntaxProblem) throw syntaxError(file, error);
        throw error;
      } finally {
        yield* selector.ready.splice(0);
      }
    }
    const end = { line: tokenizer.line, column: tokenizer.column };
    try {
      tokenizer.end();
    } catch (error) {
      const inside = selector.insideDescription();
      if (error instanceof JsonSyntaxProblem)
        throw inside ? selector.truncated(end, inside) : syntaxError(file, error);
      throw error;
    }
    yield* selector.ready.splice(0);
    selector.finish(end);
  } catch (error) {
    throw asSourceError(file, error);
  } finally {
    bytes.destroy();
  }
}
