import { createRequire } from 'node:module';
import type Iconv from 'iconv-lite';
import type { TextEncoding } from './text-encoding.js';

/** Encodes text chunks in an encoding; characters the encoding lacks become `?`. */
export type TextEncoder = (text: string) => Buffer;

let iconv: typeof Iconv | undefined;

/** A streaming encoder for `encoding` (no BOM: write `bomBytes` yourself when wanted). */
export function createTextEncoder(encoding: TextEncoding): TextEncoder {
  if (encoding === 'utf-8') return (text) => Buffer.from(text, 'utf8');
  if (encoding === 'utf-16le') return (text) => Buffer.from(text, 'utf16le');
  // iconv-lite (CommonJS, ~12 ms of start-up) is required on first use, not at load.
  iconv ??= createRequire(import.meta.url)('iconv-lite') as typeof Iconv;
  const encoder = iconv.getEncoder(encoding, { addBOM: false });
  return (text) => encoder.write(text) ?? Buffer.alloc(0);
}
