import type { FileHandle } from 'node:fs/promises';
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

/** JSON of a ledger value with JSON numbers kept as their exact text (`{ "$koppelNumber": "…" }`). */
export function encodeJson(value: unknown): string {
  return JSON.stringify(value, replacer);
}

/** Parses what `encodeJson` wrote, JSON numbers back as `JsonNumber`; throws on invalid JSON. */
export function decodeJson<T>(json: string): T {
  return JSON.parse(json, reviver) as T;
}

/**
 * The line format of a ledger log: `<crc32 as 8 hex> <json>\n`. A line is valid only when it is
 * complete and its checksum matches, so a write torn by a crash is recognised and ignored.
 */
export function encodeLine(value: unknown): string {
  const json = encodeJson(value);
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
}

export interface DecodedLog<T> {
  values: T[];
  /** Byte length of the valid prefix; anything after it is a torn tail to truncate. */
  validBytes: number;
  /** Lines dropped because they were torn or corrupt. */
  dropped: number;
}

/** Decodes one line (without its newline); undefined when it is torn or corrupt. */
export function decodeLine<T>(line: string): T | undefined {
  const json = line.slice(9);
  if (line.length < 10 || line[8] !== ' ' || crc32(json).toString(16).padStart(8, '0') !== line.slice(0, 8))
    return undefined;
  try {
    return decodeJson<T>(json);
  } catch {
    return undefined;
  }
}

/** Decodes a log, keeping every valid line and stopping at the first invalid one (a torn tail). */
export function decodeLog<T>(data: Buffer): DecodedLog<T> {
  const values: T[] = [];
  let offset = 0;
  while (offset < data.length) {
    const end = data.indexOf(0x0a, offset);
    if (end < 0) break;
    const value = decodeLine<T>(data.subarray(offset, end).toString('utf8'));
    if (value === undefined) break;
    values.push(value);
    offset = end + 1;
  }
  return { values, validBytes: offset, dropped: countLines(data.subarray(offset)) };
}

function countLines(tail: Buffer): number {
  return tail.length > 0 ? tail.toString('utf8').split('\n').filter(Boolean).length : 0;
}

/** One decoded line of a log file and where it starts, in bytes. */
export interface LogLine<T> {
  value: T;
  offset: number;
}

/** Where the valid prefix of a log file ends, filled in by `readLog` once it has read the file. */
export interface LogEnd {
  validBytes: number;
  dropped: number;
}

/**
 * Streams the valid lines of an open log file from byte `from`, in chunks of `chunkBytes`
 * (default 1 MiB), stopping at the first invalid one: memory stays bounded by the longest line.
 */
export async function* readLog<T>(
  file: FileHandle,
  end: LogEnd = { validBytes: 0, dropped: 0 },
  chunkBytes = 1 << 20,
): AsyncGenerator<LogLine<T>> {
  let pending = Buffer.alloc(0);
  let position = 0;
  let valid = 0;
  // One chunk for the whole read: what is left of it after each pass is copied out.
  const chunk = Buffer.allocUnsafe(chunkBytes);
  for (;;) {
    const { bytesRead } = await file.read(chunk, 0, chunkBytes, position);
    if (bytesRead === 0) break;
    position += bytesRead;
    pending = pending.length
      ? Buffer.concat([pending, chunk.subarray(0, bytesRead)])
      : chunk.subarray(0, bytesRead);
    let start = 0;
    for (let newline = pending.indexOf(0x0a); newline >= 0; newline = pending.indexOf(0x0a, start)) {
      const value = decodeLine<T>(pending.subarray(start, newline).toString('utf8'));
      if (value === undefined) {
        end.validBytes = valid;
        end.dropped = await countTail(file, valid);
        return;
      }
      yield { value, offset: valid };
      valid += newline + 1 - start;
      start = newline + 1;
    }
    pending = Buffer.from(pending.subarray(start));
  }
  end.validBytes = valid;
  end.dropped = countLines(pending);
}

/** Non-empty lines from `from` to the end of the file (the torn or corrupt tail). */
async function countTail(file: FileHandle, from: number): Promise<number> {
  let count = 0;
  let inLine = false;
  const chunk = Buffer.allocUnsafe(1 << 16);
  for (let position = from; ; ) {
    const { bytesRead } = await file.read(chunk, 0, chunk.length, position);
    if (bytesRead === 0) break;
    position += bytesRead;
    for (let i = 0; i < bytesRead; i++) {
      if (chunk[i] === 0x0a) {
        if (inLine) count++;
        inLine = false;
      } else inLine = true;
    }
  }
  return inLine ? count + 1 : count;
}

/** Reads the one line starting at byte `offset` of a log file; undefined when it is not a valid line. */
export async function readLineAt<T>(file: FileHandle, offset: number): Promise<T | undefined> {
  let buffer = Buffer.allocUnsafe(512);
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      const bigger = Buffer.allocUnsafe(buffer.length * 4);
      buffer.copy(bigger);
      buffer = bigger;
    }
    const { bytesRead } = await file.read(buffer, length, buffer.length - length, offset + length);
    if (bytesRead === 0) return undefined;
    const newline = buffer.indexOf(0x0a, length);
    length += bytesRead;
    if (newline >= 0 && newline < length) return decodeLine<T>(buffer.subarray(0, newline).toString('utf8'));
  }
}
