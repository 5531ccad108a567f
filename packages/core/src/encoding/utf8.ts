/** Bytes a UTF-8 sequence needs, judged by its lead byte; 0 for a byte that cannot start one. */
export function utf8SequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/**
 * How many bytes at the end of `bytes` are the start of a multi-byte character that the next
 * chunk completes (0-3). Those bytes must be carried over, never decoded on their own.
 */
export function incompleteUtf8Tail(bytes: Uint8Array): number {
  const end = bytes.length;
  for (let back = 1; back <= Math.min(3, end); back++) {
    const byte = bytes[end - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    const need = utf8SequenceLength(byte);
    return need > back ? back : 0;
  }
  return 0;
}

/** Byte offset of the first invalid UTF-8 sequence in `bytes` (which holds whole characters), or -1. */
export function findInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const end = bytes.length;
  while (i < end) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const need = utf8SequenceLength(lead);
    if (need === 0 || i + need > end) return i;
    const second = bytes[i + 1]!;
    // Overlongs, surrogates and code points above U+10FFFF are invalid (RFC 3629).
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    if (second < low || second > high) return i;
    for (let k = 2; k < need; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += need;
  }
  return -1;
}

/** Number of line feeds (0x0A) in `bytes`. */
export function countLineFeeds(bytes: Uint8Array, end = bytes.length): number {
  let count = 0;
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let at = buffer.indexOf(0x0a);
  while (at !== -1 && at < end) {
    count++;
    at = buffer.indexOf(0x0a, at + 1);
  }
  return count;
}
