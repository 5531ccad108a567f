import { isUtf8 } from 'node:buffer';
import type { EncodingOption, TextEncoding } from './text-encoding.js';
import { incompleteUtf8Tail } from './utf8.js';

/** Why an encoding was chosen: declared by the job, a byte order mark, or what the first bytes looked like. */
export type EncodingReason = 'declared' | 'bom' | 'utf-8' | 'utf-16-pattern' | 'not-utf-8';

/** The encoding a source is read with, and whether the file starts with a byte order mark. */
export interface DetectedEncoding {
  encoding: TextEncoding;
  /** True when the file starts with the encoding's byte order mark (it is skipped, and written back in rejects). */
  bom: boolean;
  reason: EncodingReason;
}

/** Bytes of the prefix `encoding: auto` looks at. */
export const SNIFF_BYTES = 64 * 1024;

function bomOf(prefix: Uint8Array): TextEncoding | null {
  if (prefix[0] === 0xef && prefix[1] === 0xbb && prefix[2] === 0xbf) return 'utf-8';
  if (prefix[0] === 0xff && prefix[1] === 0xfe) return 'utf-16le';
  if (prefix[0] === 0xfe && prefix[1] === 0xff) return 'utf-16be';
  return null;
}

function utf16Pattern(prefix: Uint8Array): TextEncoding | null {
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

/**
 * Chooses the encoding for a file from its first bytes: the declared one (noting its BOM), else a
 * BOM, else UTF-8 when the prefix is valid UTF-8, else UTF-16 by its NUL pattern, else Windows-1252.
 * `complete` says the prefix is the whole file (so a trailing partial character is invalid).
 */
export function sniffEncoding(
  prefix: Uint8Array,
  declared: EncodingOption,
  complete: boolean,
): DetectedEncoding {
  const bom = bomOf(prefix);
  if (declared !== 'auto') return { encoding: declared, bom: bom === declared, reason: 'declared' };
  if (bom) return { encoding: bom, bom: true, reason: 'bom' };
  const utf16 = utf16Pattern(prefix);
  if (utf16) return { encoding: utf16, bom: false, reason: 'utf-16-pattern' };
  const whole = complete ? prefix : prefix.subarray(0, prefix.length - incompleteUtf8Tail(prefix));
  if (isUtf8(whole)) return { encoding: 'utf-8', bom: false, reason: 'utf-8' };
  return { encoding: 'windows-1252', bom: false, reason: 'not-utf-8' };
}
