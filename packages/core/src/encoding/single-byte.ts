import type { TextEncoding } from './text-encoding.js';

/** The single-byte encodings Koppel reads: ASCII-compatible, one byte per character. */
export type SingleByteEncoding = 'windows-1252' | 'iso-8859-1' | 'iso-8859-15';

/** Windows-1252 bytes 0x80-0x9F (undefined ones are -1: 0x81, 0x8D, 0x8F, 0x90, 0x9D). */
const CP1252_C1 = [
  0x20ac, -1, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, -1,
  0x017d, -1, -1, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, -1, 0x017e, 0x0178,
];

/** ISO-8859-15 differs from ISO-8859-1 at these bytes. */
const LATIN9: Readonly<Record<number, number>> = {
  164: 0x20ac,
  166: 0x0160,
  168: 0x0161,
  180: 0x017d,
  184: 0x017e,
  188: 0x0152,
  189: 0x0153,
  190: 0x0178,
};

/** True for the single-byte encodings. */
export function isSingleByte(encoding: TextEncoding): encoding is SingleByteEncoding {
  return encoding === 'windows-1252' || encoding === 'iso-8859-1' || encoding === 'iso-8859-15';
}

/**
 * The code point of `byte` in a single-byte encoding, or -1 when the byte is not text there:
 * the five bytes Windows-1252 leaves undefined, and the C1 controls 0x80-0x9F of ISO-8859-1 and
 * ISO-8859-15 (real files with them are Windows-1252 mislabelled, so they are refused).
 */
export function singleByteCodePoint(encoding: SingleByteEncoding, byte: number): number {
  if (byte < 0x80) return byte;
  if (byte < 0xa0) return encoding === 'windows-1252' ? (CP1252_C1[byte - 0x80] as number) : -1;
  if (encoding === 'iso-8859-15') return LATIN9[byte] ?? byte;
  return byte;
}

/** Matches (in a latin1-decoded string) the first byte that is not text in the encoding. */
export const UNDEFINED_BYTE: Readonly<Record<SingleByteEncoding, RegExp>> = {
  'windows-1252': /[\x81\x8d\x8f\x90\x9d]/,
  'iso-8859-1': /[\x80-\x9f]/,
  'iso-8859-15': /[\x80-\x9f]/,
};

const CP1252_MAP = new Map<string, string>(
  CP1252_C1.flatMap((cp, i) => (cp < 0 ? [] : [[String.fromCharCode(0x80 + i), String.fromCharCode(cp)]])),
);
const LATIN9_MAP = new Map<string, string>(
  Object.entries(LATIN9).map(([byte, cp]) => [String.fromCharCode(Number(byte)), String.fromCharCode(cp)]),
);

/**
 * Decodes bytes that `UNDEFINED_BYTE` accepted (callers check first); an undefined byte left in
 * becomes U+FFFD, which only `invalid_bytes: replace` lets through.
 */
export function decodeSingleByte(bytes: Buffer, encoding: SingleByteEncoding): string {
  const text = bytes.toString('latin1');
  if (encoding === 'windows-1252') {
    return /[\x80-\x9f]/.test(text)
      ? text.replace(/[\x80-\x9f]/g, (c) => CP1252_MAP.get(c) ?? '\uFFFD')
      : text;
  }
  if (encoding === 'iso-8859-15') {
    const decoded = /[\xa4\xa6\xa8\xb4\xb8\xbc-\xbe]/.test(text)
      ? text.replace(/[\xa4\xa6\xa8\xb4\xb8\xbc-\xbe]/g, (c) => LATIN9_MAP.get(c) ?? c)
      : text;
    return /[\x80-\x9f]/.test(decoded) ? decoded.replace(/[\x80-\x9f]/g, '\uFFFD') : decoded;
  }
  return /[\x80-\x9f]/.test(text) ? text.replace(/[\x80-\x9f]/g, '\uFFFD') : text;
}
