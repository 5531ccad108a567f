import { describe, expect, it } from 'vitest';
import { decodeUtf8Lenient } from './utf8.js';

describe('decodeUtf8Lenient', () => {
  it.each([
    ['valid text stays', [0x43, 0x61, 0x66, 0xc3, 0xa9], 'Café'],
    ['a lone latin-1 byte', [0x43, 0x61, 0x66, 0xe9], 'Caf?'],
    ['two invalid bytes', [0xff, 0xfe], '??'],
    ['a truncated 3-byte sequence is one ?', [0xe2, 0x82, 0x20], '? '],
    ['a lone continuation byte', [0x80, 0x41], '?A'],
    ['an overlong encoding', [0xc0, 0xaf], '??'],
    ['a surrogate', [0xed, 0xa0, 0x80], '???'],
    ['a literal U+FFFD survives', [0xef, 0xbf, 0xbd, 0xff], '\uFFFD?'],
    ['a BOM before invalid bytes is dropped', [0xef, 0xbb, 0xbf, 0xff], '?'],
  ])('%s', (_name, bytes, expected) => {
    expect(decodeUtf8Lenient(Uint8Array.from(bytes))).toBe(expected);
  });
});
