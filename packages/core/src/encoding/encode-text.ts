import iconv from 'iconv-lite';
import type { TextEncoding } from './text-encoding.js';

/** Encodes text chunks in an encoding; characters the encoding lacks become `?`. */
export type TextEncoder = (text: string) => Buffer;

/** A streaming encoder for `encoding` (no BOM: write `bomBytes` yourself when wanted). */
export function createTextEncoder(encoding: TextEncoding): TextEncoder {
  if (encoding === 'utf-8') return (text) => Buffer.from(text, 'utf8');
  if (encoding === 'utf-16le') return (text) => Buffer.from(text, 'utf16le');
  const encoder = iconv.getEncoder(encoding, { addBOM: false });
  return (text) => encoder.write(text) ?? Buffer.alloc(0);
}
