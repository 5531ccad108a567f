import { crc32 } from 'node:zlib';
import { JsonNumber } from '@koppel/core';

/** JSON numbers of JSON sources keep their exact text through the ledger (for the rejects file). */
function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  return original instanceof JsonNumber ? { $koppelNumber: original.text } : value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && '$koppelNumber' in value) {
    const text = (value as { $koppelNumber: unknown }).$koppelNumber;
    if (typeof text === 'string' && Object.keys(value).length === 1) return new JsonNumber(text);
  }
  return value;
}

/**
 * The line format of a ledger log: `<crc32 as 8 hex> <json>\n`. A line is valid only when it is
 * complete and its checksum matches, so a write torn by a crash is recognised and ignored.
 */
export function encodeLine(value: unknown): string {
  const json = JSON.stringify(value, replacer);
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
}

export interface DecodedLog<T> {
  values: T[];
  /** Byte length of the valid prefix; anything after it is a torn tail to truncate. */
  validBytes: number;
  /** Lines dropped because they were torn or corrupt. */
  dropped: number;
}

/** Decodes a log, keeping every valid line and stopping at the first invalid one (a torn tail). */
export function decodeLog<T>(data: Buffer): DecodedLog<T> {
  const values: T[] = [];
  let offset = 0;
  while (offset < data.length) {
    const end = data.indexOf(0x0a, offset);
    if (end < 0) break;
    const line = data.subarray(offset, end).toString('utf8');
    const json = line.slice(9);
    if (line.length < 10 || line[8] !== ' ' || crc32(json).toString(16).padStart(8, '0') !== line.slice(0, 8))
      break;
    try {
      values.push(JSON.parse(json, reviver) as T);
    } catch {
      break;
    }
    offset = end + 1;
  }
  const dropped =
    offset < data.length ? data.subarray(offset).toString('utf8').split('\n').filter(Boolean).length : 0;
  return { values, validBytes: offset, dropped };
}
