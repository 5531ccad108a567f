import type { DetectedEncoding } from '../encoding/sniff-encoding.js';
import type { FieldValue, SourceRecord } from '../record.js';
import { asSourceError } from './byte-stream.js';
import { requireRecord } from './empty-input.js';
import { JsonFormatError } from './errors.js';
import { checkJsonToken } from './json-control.js';
import {
  type JsonlSourceOptions,
  type ResolvedJsonFileOptions,
  resolveJsonFileOptions,
} from './json-options.js';
import { JsonSyntaxProblem, JsonTokenizer } from './json-tokenizer.js';
import { JsonValueBuilder, jsonKind } from './json-value-builder.js';
import { openText, sniffTextFile, type TextFileSniff } from './open-text.js';

/** An opened JSONL file: one record object per line. */
export interface JsonlSource extends AsyncIterable<SourceRecord> {
  readonly format: 'jsonl';
  /** Path as shown in origins and errors. */
  readonly file: string;
  /** The encoding chosen, with the reason. */
  readonly detected: DetectedEncoding;
  /** True when the file was gzipped. */
  readonly gzip: boolean;
  /** Streams the records (each call reads the file again from the start). */
  records(): AsyncGenerator<SourceRecord>;
}

/** Validates options, sniffs the encoding and returns a source whose records stream on demand. */
export async function openJsonlSource(options: JsonlSourceOptions): Promise<JsonlSource> {
  const resolved = resolveJsonFileOptions(options);
  const sniff = await sniffTextFile(resolved, 'jsonl');
  const read = () =>
    requireRecord(readJsonlRecords(resolved, sniff), {
      file: resolved.displayPath,
      allowEmpty: resolved.allowEmpty,
      option: 'source.jsonl.allow_empty',
      what: 'only blank lines',
    });
  return {
    format: 'jsonl',
    file: resolved.displayPath,
    detected: sniff.detected,
    gzip: sniff.gzip,
    records: read,
    [Symbol.asyncIterator]: read,
  };
}

/** Splits a text stream into lines (without `\n` or `\r\n`), with their 1-based numbers. */
async function* lines(chunks: AsyncIterable<string>): AsyncGenerator<[string, number]> {
  let pending = '';
  let number = 1;
  for await (const chunk of chunks) {
    pending += chunk;
    let at = 0;
    for (let nl = pending.indexOf('\n'); nl !== -1; nl = pending.indexOf('\n', at)) {
      yield [pending.slice(at, nl > at && pending[nl - 1] === '\r' ? nl - 1 : nl), number++];
      at = nl + 1;
    }
    pending = pending.slice(at);
  }
  if (pending !== '') yield [pending, number];
}

function parseLine(file: string, text: string, line: number): Record<string, FieldValue> {
  const builder = new JsonValueBuilder();
  const tokenizer: JsonTokenizer = new JsonTokenizer(
    (token) => {
      checkJsonToken(file, token, tokenizer);
      builder.push(token);
    },
    { line },
  );
  try {
    tokenizer.write(text);
    tokenizer.end();
  } catch (error) {
    if (!(error instanceof JsonSyntaxProblem)) throw error;
    const atEnd = error.line === line && error.column >= text.length + 1;
    const detail = atEnd ? 'the line ends before the value is complete' : error.message;
    throw new JsonFormatError(
      { file, line: error.line, column: error.column },
      `${file}:${error.line}:${error.column}: invalid JSON line: ${detail}; every line must be one complete JSON object (fix or remove the line)`,
    );
  }
  const value = builder.take();
  if (
    value === null ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    Object.getPrototypeOf(value) !== null
  ) {
    throw new JsonFormatError(
      { file, line, column: 1 },
      `${file}:${line}:1: expected a JSON object, got ${jsonKind(value)}; every line must be one JSON object`,
    );
  }
  return value as Record<string, FieldValue>;
}

async function* readJsonlRecords(
  options: ResolvedJsonFileOptions,
  sniff: TextFileSniff,
): AsyncGenerator<SourceRecord> {
  const file = options.displayPath;
  const { bytes, text } = openText(options, sniff);
  let index = 0;
  try {
    for await (const [content, line] of lines(text)) {
      if (content.trim() === '') continue;
      yield { fields: parseLine(file, content, line), origin: { file, line, index: index++ } };
    }
  } catch (error) {
    throw asSourceError(file, error);
  } finally {
    bytes.destroy();
  }
}
