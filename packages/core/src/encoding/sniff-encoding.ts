import type { TextEncoding } from './text-encoding.js';

/**
 * Why an encoding was chosen: `declared` by the job, a byte order mark (`bom`), or `detected: ...`
 * from the whole file, e.g. `detected: valid UTF-8 over all 1048576 bytes`.
 */
export type EncodingReason = 'declared' | 'bom' | `detected: ${string}`;

/** The encoding a source is read with, whether the file starts with a BOM, and why. */
export interface DetectedEncoding {
  encoding: TextEncoding;
  /** True when the file starts with the encoding's byte order mark (it is skipped, and written back in rejects). */
  bom: boolean;
  reason: EncodingReason;
}

/** Bytes of the start of a CSV file the dialect (delimiter, quoting, header) is sniffed from. */
export const SNIFF_BYTES = 64 * 1024;

/** The encoding whose byte order mark starts `prefix`, or null. */
export function bomOf(prefix: Uint8Array): TextEncoding | null {
  if (prefix[0] === 0xef && prefix[1] === 0xbb && prefix[2] === 0xbf) return 'utf-8';
  if (prefix[0] === 0xff && prefix[1] === 0xfe) return 'utf-16le';
  if (prefix[0] === 0xfe && prefix[1] === 0xff) return 'utf-16be';
  return null;
}

/** Length of the BOM of `encoding` when `bom` is set. */
export function bomLength(detected: { encoding: TextEncoding; bom: boolean }): number {
  if (!detected.bom) return 0;
  return detected.encoding === 'utf-8' ? 3 : 2;
}

/** UTF-16 without a BOM, judged by the NUL bytes of ASCII text in the first 4 KiB; only used to explain a refusal. */
export function utf16Pattern(prefix: Uint8Array): TextEncoding | null {
  const pairs = Math.floor(Math.min(prefix.length, 4096) / 2);
  if (pairs < 2) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs; i++) {
    if (prefix[2 * i] === 0) evenNul++;
    if (prefix[2 * i + 1] === 0) oddNul++;
  }
  if (oddNul > pairs * 0.4 && evenNul < pairs * 0.05) return 'utf-16le';
  if (evenNul > pairs * 0.4 && oddNul < pairs * 0.05) return 'utf-16be';
  return null;
}

/** How a reason reads in one line of plan or preview output, e.g. `utf-8 (detected: valid UTF-8 over all 120 bytes)`. */
export function describeEncoding(detected: DetectedEncoding): string {
  const reason = detected.reason === 'bom' ? 'from its byte order mark' : detected.reason;
  return `${detected.encoding}${detected.bom ? ' with BOM' : ''} (${reason})`;
}
