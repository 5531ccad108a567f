import { isUtf8 } from 'node:buffer';
import { InvalidEncodingError } from '../sources/errors.js';
import { type ScanOptions, scanInput } from './scan-input.js';
import { decodeSingleByte, isSingleByte, UNDEFINED_BYTE } from './single-byte.js';
import { bomLength, type DetectedEncoding } from './sniff-encoding.js';
import type { InvalidBytesPolicy } from './text-encoding.js';
import { incompleteUtf8Tail } from './utf8.js';
import { LONE_SURROGATE, LONE_SURROGATES, Utf16Decoder } from './utf16.js';

/** How to decode one input file. */
export interface DecodeOptions {
  /** Path shown in errors. */
  file: string;
  /** The encoding and BOM chosen by `scanInput`. */
  detected: DetectedEncoding;
  /** `error` (default) stops at the first invalid byte; `replace` (declared encodings only) decodes it as U+FFFD. */
  invalidBytes: InvalidBytesPolicy;
  /**
   * How the file was scanned. The scan already refused undecodable bytes; when the read still
   * meets one (the file changed since), the file is scanned again for the exact file:line:col.
   */
  scan: ScanOptions;
}

/** Throws the located error of a byte the read met that is not text; never returns. */
async function refuse(options: DecodeOptions, byteOffset: number): Promise<never> {
  await scanInput({ ...options.scan, encoding: options.detected.encoding, invalidBytes: 'error' });
  throw new InvalidEncodingError(
    { file: options.file, line: 0, column: 0, byteOffset },
    `${options.file}: a byte at byte offset ${byteOffset} is not ${options.detected.encoding} text, but it was when the file was scanned: the file changed while Koppel read it; run again when it is complete`,
  );
}

/** Skips the BOM of the first chunks. */
function skipper(detected: DetectedEncoding): (chunk: Buffer) => Buffer {
  let skip = bomLength(detected);
  return (chunk) => {
    if (skip === 0) return chunk;
    const n = Math.min(skip, chunk.length);
    skip -= n;
    return chunk.subarray(n);
  };
}

async function* validateUtf8(chunks: AsyncIterable<Buffer>, options: DecodeOptions): AsyncGenerator<Buffer> {
  const strict = options.invalidBytes === 'error';
  const skip = skipper(options.detected);
  let carry: Buffer | null = null;
  let offset = bomLength(options.detected); // byte offset (in the file) of the first byte of `buffer`
  for await (const chunk of chunks) {
    const data = skip(chunk);
    const buffer: Buffer = carry ? Buffer.concat([carry, data]) : data;
    const tail = incompleteUtf8Tail(buffer);
    const body = buffer.subarray(0, buffer.length - tail);
    carry = tail > 0 ? Buffer.from(buffer.subarray(body.length)) : null;
    if (strict && !isUtf8(body)) await refuse(options, offset);
    offset += body.length;
    if (body.length === 0) continue;
    yield strict ? body : Buffer.from(body.toString('utf8'), 'utf8');
  }
  if (carry) {
    if (strict) await refuse(options, offset);
    yield Buffer.from(carry.toString('utf8'), 'utf8');
  }
}

async function* decodeUtf8(chunks: AsyncIterable<Buffer>, options: DecodeOptions): AsyncGenerator<string> {
  for await (const bytes of validateUtf8(chunks, options)) yield bytes.toString('utf8');
}

async function* decodeOther(chunks: AsyncIterable<Buffer>, options: DecodeOptions): AsyncGenerator<string> {
  const { encoding } = options.detected;
  const strict = options.invalidBytes === 'error';
  const skip = skipper(options.detected);
  let offset = bomLength(options.detected);
  if (isSingleByte(encoding)) {
    const undefinedByte = UNDEFINED_BYTE[encoding];
    for await (const chunk of chunks) {
      const data = skip(chunk);
      if (data.length === 0) continue;
      if (strict && undefinedByte.test(data.toString('latin1'))) await refuse(options, offset);
      offset += data.length;
      yield decodeSingleByte(data, encoding);
    }
    return;
  }
  const decoder = new Utf16Decoder(encoding === 'utf-16be');
  for await (const chunk of chunks) {
    const data = skip(chunk);
    const text = decoder.write(data);
    if (strict && LONE_SURROGATE.test(text)) await refuse(options, offset);
    offset += data.length;
    if (text) yield strict ? text : text.replace(LONE_SURROGATES, '\uFFFD');
  }
  const rest = decoder.end();
  if (strict && (rest.text !== '' || rest.oddByte)) await refuse(options, offset);
  if (rest.text) yield '\uFFFD';
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
  for await (const text of decodeOther(chunks, options)) yield Buffer.from(text, 'utf8');
}

/**
 * Decodes a byte stream to text, skipping the BOM. A multi-byte character split across chunks
 * is carried over, never split. Nothing is ever replaced by U+FFFD (unless `invalidBytes` is
 * `replace`): a byte that is not text in the encoding is an `InvalidEncodingError` at
 * file:line:col and byte offset.
 */
export function decodeBytes(chunks: AsyncIterable<Buffer>, options: DecodeOptions): AsyncGenerator<string> {
  return options.detected.encoding === 'utf-8' ? decodeUtf8(chunks, options) : decodeOther(chunks, options);
}
