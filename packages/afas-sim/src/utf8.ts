const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * At byte `i` (>= 0x80): the length of a valid UTF-8 sequence (positive), or minus the length of
 * the maximal invalid subpart to replace by one `?` (as .NET and WHATWG decoders do).
 */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i] as number;
  let length: number;
  let min = 0x80;
  let max = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) length = 2;
  else if (b >= 0xe0 && b <= 0xef) {
    length = 3;
    if (b === 0xe0) min = 0xa0;
    if (b === 0xed) max = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    length = 4;
    if (b === 0xf0) min = 0x90;
    if (b === 0xf4) max = 0x8f;
  } else return -1;
  for (let k = 1; k < length; k++) {
    const next = bytes[i + k];
    const low = k === 1 ? min : 0x80;
    const high = k === 1 ? max : 0xbf;
    if (next === undefined || next < low || next > high) return -k;
  }
  return length;
}

/**
 * Decodes a request body as UTF-8 the way Profit stores it: every invalid byte becomes `?`
 * (not U+FFFD). A leading BOM is dropped.
 */
export function decodeUtf8Lenient(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    // fall through to the byte-by-byte path
  }
  let out = '';
  let runStart = 0;
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  runStart = i;
  const flush = (end: number): void => {
    if (end > runStart)
      out += Buffer.from(bytes.buffer, bytes.byteOffset + runStart, end - runStart).toString('utf8');
  };
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = sequenceLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    flush(i);
    out += '?';
    i -= length;
    runStart = i;
  }
  flush(i);
  return out;
}
