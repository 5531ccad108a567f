import type { Readable } from 'node:stream';
import { decodeBytes } from '../encoding/decode-bytes.js';
import { type DetectedEncoding, SNIFF_BYTES, sniffEncoding } from '../encoding/sniff-encoding.js';
import { isGzipped, openByteStream, readPrefix } from './byte-stream.js';
import type { ResolvedJsonFileOptions } from './json-options.js';

/** The encoding and compression chosen for a text file. */
export interface TextFileSniff {
  detected: DetectedEncoding;
  gzip: boolean;
}

/** Decides gzip and encoding from the first 64 KiB of a file. */
export async function sniffTextFile(options: ResolvedJsonFileOptions): Promise<TextFileSniff> {
  const gzip = await isGzipped(options.path, options.gzip, options.displayPath);
  const prefix = await readPrefix(options.path, gzip, SNIFF_BYTES, options.displayPath);
  return { gzip, detected: sniffEncoding(prefix.bytes, options.encoding, prefix.complete) };
}

/** Streams the decoded text of a file; destroy `bytes` when done. */
export function openText(
  options: ResolvedJsonFileOptions,
  sniff: TextFileSniff,
): { bytes: Readable; text: AsyncGenerator<string> } {
  const bytes = openByteStream(options.path, sniff.gzip);
  const text = decodeBytes(bytes, {
    file: options.displayPath,
    detected: sniff.detected,
    invalidBytes: options.invalidBytes,
  });
  return { bytes, text };
}
