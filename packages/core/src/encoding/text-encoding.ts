import { SourceOptionsError } from '../sources/errors.js';

/** A text encoding Koppel reads and writes. Everything is decoded to UTF-16 strings in memory. */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'iso-8859-1' | 'iso-8859-15';

/** An encoding as a job declares it: `auto` detects from the BOM and UTF-8 validity. */
export type EncodingOption = 'auto' | TextEncoding;

/** What to do with bytes that are invalid in the encoding: stop with an error, or decode them as U+FFFD. */
export type InvalidBytesPolicy = 'error' | 'replace';

/** Every supported encoding, in the order they are documented. */
export const TEXT_ENCODINGS: readonly TextEncoding[] = [
  'utf-8',
  'utf-16le',
  'utf-16be',
  'windows-1252',
  'iso-8859-1',
  'iso-8859-15',
];

const aliases: Readonly<Record<string, TextEncoding>> = {
  utf8: 'utf-8',
  'utf-8': 'utf-8',
  'utf-16le': 'utf-16le',
  utf16le: 'utf-16le',
  'utf-16be': 'utf-16be',
  utf16be: 'utf-16be',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'iso-8859-1': 'iso-8859-1',
  latin1: 'iso-8859-1',
  'iso-8859-15': 'iso-8859-15',
  latin9: 'iso-8859-15',
};

/** Normalises an encoding name (`UTF8`, `latin1`, `cp1252` ...) or throws naming the accepted ones. */
export function parseEncodingOption(name: string): EncodingOption {
  const key = name.trim().toLowerCase();
  if (key === 'auto') return 'auto';
  const found = aliases[key];
  if (found) return found;
  throw new SourceOptionsError(
    `Expected \`encoding\` to be one of auto, ${TEXT_ENCODINGS.join(', ')}, got \`${name}\``,
  );
}

/** The byte order mark of an encoding, or an empty buffer when it has none. */
export function bomBytes(encoding: TextEncoding): Buffer {
  switch (encoding) {
    case 'utf-8':
      return Buffer.from([0xef, 0xbb, 0xbf]);
    case 'utf-16le':
      return Buffer.from([0xff, 0xfe]);
    case 'utf-16be':
      return Buffer.from([0xfe, 0xff]);
    default:
      return Buffer.alloc(0);
  }
}
