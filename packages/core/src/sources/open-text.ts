import type { Readable } from 'node:stream';
import { decodeBytes } from '../encoding/decode-bytes.js';
import { type ScanOptions, scanInput } from '../encoding/scan-input.js';
import type { DetectedEncoding } from '../encoding/sniff-encoding.js';
import { isGzipped, openByteStream } from './byte-stream.js';
import type { ResolvedJsonFileOptions } from './json-options.js';

/** The encoding and compression chosen for a text file. */
export interface TextFileSniff {
  detected: DetectedEncoding;
  gzip: boolean;
  scan: ScanOptions;
}

/** Decides gzip, then scans the whole file (`scanInput`) for its encoding, undecodable bytes and control characters. */
export async function sniffTextFile(
  options: ResolvedJsonFileOptions,
  format: 'json' | 'jsonl',
): Promise<TextFileSniff> {
  const gzip = await isGzipped(options.path, options.gzip, options.displayPath);
  const scan: ScanOptions = {
    path: options.path,
    file: options.displayPath,
    gzip,
    encoding: options.encoding,
    invalidBytes: options.invalidBytes,
    allowEmpty: options.allowEmpty,
    allowEmptyOption: `source.${format}.allow_empty`,
  };
  return { gzip, detected: await scanInput(scan), scan };
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
    scan: sniff.scan,
  });
  return { bytes, text };
}
