import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { InvalidEncodingError } from '../sources/errors.js';
import type { DetectedEncoding } from './sniff-encoding.js';
import type { InvalidBytesPolicy } from './text-encoding.js';
import { countLineFeeds, findInvalidUtf8, incompleteUtf8Tail } from './utf8.js';

/** How to decode one input file. */
export interface DecodeOptions {
  /** Path shown in errors. */
  file: string;
  /** The encoding and BOM chosen by `sniffEncoding`. */
  detected: DetectedEncoding;
  /** `error` (default) stops at the first invalid byte; `replace` decodes it as U+FFFD. */
  invalidBytes: InvalidBytesPolicy;
}

function invalidUtf8(
  options: DecodeOptions,
  line: number,
  byteOffset: number,
  bytes: Uint8Array,
): InvalidEncodingError {
  const shown = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(
    ' ',
  );
  const why =
    options.detected.reason === 'declared'
      ? 'the job declares `encoding: utf-8`'
      : `\`encoding: auto\` chose UTF-8 because the start of the file is valid UTF-8`;
  return new InvalidEncodingError(
    { file: options.file, line, byteOffset },
    `${options.file}:${line}: invalid UTF-8 at byte offset ${byteOffset} (bytes ${shown || 'end of file'}); ` +
      `${why}, but this line is not. Declare the file's real encoding (e.g. \`encoding: windows-1252\`) ` +
      'or set `invalid_bytes: replace` to read invalid bytes as U+FFFD',
  );
}

async function* validateUtf8(chunks: AsyncIterable<Buffer>, options: DecodeOptions): AsyncGenerator<Buffer> {
  const strict = options.invalidBytes === 'error';
  let skip = options.detected.bom ? 3 : 0;
  let carry: Buffer | null = null;
  let offset = 0; // byte offset (in the file) of the first byte of `buffer`
  let lines = 0; // line feeds before `offset`
  for await (const chunk of chunks) {
    let buffer: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    if (skip > 0) {
      const n = Math.min(skip, buffer.length);
      buffer = buffer.subarray(n);
      skip -= n;
      offset += n;
    }
    const tail = incompleteUtf8Tail(buffer);
    const body = buffer.subarray(0, buffer.length - tail);
    carry = tail > 0 ? Buffer.from(buffer.subarray(body.length)) : null;
    if (strict) {
      if (!isUtf8(body)) {
        const at = findInvalidUtf8(body);
        throw invalidUtf8(options, lines + countLineFeeds(body, at) + 1, offset + at, body.subarray(at));
      }
      lines += countLineFeeds(body);
    }
    offset += body.length;
    if (body.length === 0) continue;
    yield strict ? body : Buffer.from(body.toString('utf8'), 'utf8');
  }
  if (carry) {
    if (strict) throw invalidUtf8(options, lines + 1, offset, carry);
    yield Buffer.from(carry.toString('utf8'), 'utf8');
  }
}

async function* decodeUtf8(chunks: AsyncIterable<Buffer>, options: DecodeOptions): AsyncGenerator<string> {
  for await (const bytes of validateUtf8(chunks, options)) yield bytes.toString('utf8');
}

async function* decodeIconv(chunks: AsyncIterable<Buffer>, options: DecodeOptions): AsyncGenerator<string> {
  const decoder = iconv.getDecoder(options.detected.encoding, { stripBOM: false });
  let skip = options.detected.bom ? 2 : 0;
  for await (const chunk of chunks) {
    let buffer = chunk;
    if (skip > 0) {
      const n = Math.min(skip, buffer.length);
      buffer = buffer.subarray(n);
      skip -= n;
    }
    const text = decoder.write(buffer);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

/**
 * Like `decodeBytes`, but yields the text as UTF-8 bytes (whole characters, BOM skipped); UTF-8
 * input passes through without being decoded and encoded again.
 */
export async function* transcodeToUtf8(
  chunks: AsyncIterable<Buffer>,
  options: DecodeOptions,
): AsyncGenerator<Buffer> {
  if (options.detected.encoding === 'utf-8') {
    yield* validateUtf8(chunks, options);
    return;
  }
  for await (const text of decodeIconv(chunks, options)) yield Buffer.from(text, 'utf8');
}

/**
 * Decodes a byte stream to text, skipping the BOM. A multi-byte character split across chunks
 * is carried over, never split; invalid UTF-8 is an `InvalidEncodingError` naming the line and
 * byte offset unless `invalidBytes` is `replace`.
 */
export function decodeBytes(chunks: AsyncIterable<Buffer>, options: DecodeOptions): AsyncGenerator<string> {
  return options.detected.encoding === 'utf-8' ? decodeUtf8(chunks, options) : decodeIconv(chunks, options);
}
