import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HashSpill } from './hash-spill.js';

export interface KeyLinesOptions {
  /** Keys held in a plain Map before the set moves to disk; default 65536. */
  memoryKeys?: number;
  /** Directory of the spill files (deleted as soon as they are opened); default the OS temp directory. */
  dir?: string;
  /** The 64-bit hash of a key as [hi, lo] (tests inject colliding ones); default keyHash. */
  hash?: (key: string) => readonly [number, number];
}

/** A key log record: line (u32), key length in bytes (u32), the key in UTF-8. */
const HEADER = 8;

const closeFile = (file: { fd: number }): void => {
  if (file.fd < 0) return;
  try {
    closeSync(file.fd);
  } catch {}
  file.fd = -1;
};
const finalizer = new FinalizationRegistry<{ fd: number }>(closeFile);

/**
 * An exact set of string keys, each with the line it was first seen on (the first one wins), in
 * memory that does not grow with the number of keys: up to `memoryKeys` in a Map; beyond that
 * every key goes to an append-only key log on disk and its 64-bit hash to a HashSpill (hash ->
 * where the key is in the log), about 1.5 bytes of memory a key. A hash hit is confirmed by
 * reading the key back from the log; two keys with the same hash fall back to a scan of the log.
 */
export class KeyLines {
  readonly #memoryKeys: number;
  readonly #dir: string;
  readonly #hash: (key: string) => readonly [number, number];
  #map: Map<string, number> | undefined = new Map();
  #index: HashSpill | undefined;
  readonly #file = { fd: -1 };
  /** Bytes of the key log on disk. */
  #written = 0;
  #buffer = Buffer.allocUnsafe(1 << 16);
  #buffered = 0;
  #size = 0;

  constructor(options: KeyLinesOptions = {}) {
    this.#memoryKeys = options.memoryKeys ?? 65536;
    this.#dir = options.dir ?? tmpdir();
    this.#hash = options.hash ?? keyHash;
  }

  /** The line `key` was first seen on, or undefined. */
  get(key: string): number | undefined {
    if (this.#map) return this.#map.get(key);
    const index = this.#index as HashSpill;
    const [hi, lo] = this.#hash(key);
    const offset = index.get(hi, lo);
    if (offset < 0) return undefined;
    const record = this.#readAt(offset);
    if (record.key === key) return record.line;
    return this.#scan(key);
  }

  /** Records `key` as first seen on `line` (a key seen before keeps its first line). */
  set(key: string, line: number): void {
    if (this.#map) {
      if (this.#map.has(key)) return;
      this.#map.set(key, line);
      this.#size++;
      if (this.#map.size > this.#memoryKeys) this.#toDisk();
      return;
    }
    if (this.get(key) !== undefined) return;
    const offset = this.#append(key, line);
    const [hi, lo] = this.#hash(key);
    // Another key with the same hash keeps the slot; this one is found by a scan of the log.
    if ((this.#index as HashSpill).get(hi, lo) < 0) (this.#index as HashSpill).set(hi, lo, offset);
    this.#size++;
  }

  /** Distinct keys held. */
  get size(): number {
    return this.#size;
  }

  /** Deletes the spill files and forgets every key; idempotent. */
  close(): void {
    closeFile(this.#file);
    finalizer.unregister(this);
    this.#index?.close();
    this.#index = undefined;
    this.#map = new Map();
    this.#written = 0;
    this.#buffered = 0;
    this.#size = 0;
  }

  #toDisk(): void {
    const map = this.#map as Map<string, number>;
    const path = join(
      this.#dir,
      `koppel-keys-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    );
    this.#file.fd = openSync(path, 'w+', 0o600);
    finalizer.register(this, this.#file, this);
    try {
      unlinkSync(path);
    } catch {}
    this.#index = new HashSpill({ dir: this.#dir });
    this.#map = undefined;
    for (const [key, line] of map) {
      const offset = this.#append(key, line);
      const [hi, lo] = this.#hash(key);
      if (this.#index.get(hi, lo) < 0) this.#index.set(hi, lo, offset);
    }
  }

  /** Appends a record to the key log; returns its offset. */
  #append(key: string, line: number): number {
    const length = Buffer.byteLength(key);
    if (this.#buffered + HEADER + length > this.#buffer.length) {
      this.#flush();
      if (HEADER + length > this.#buffer.length) this.#buffer = Buffer.allocUnsafe(HEADER + length);
    }
    const offset = this.#written + this.#buffered;
    this.#buffer.writeUInt32LE(line >>> 0, this.#buffered);
    this.#buffer.writeUInt32LE(length, this.#buffered + 4);
    this.#buffer.write(key, this.#buffered + HEADER, 'utf8');
    this.#buffered += HEADER + length;
    return offset;
  }

  #flush(): void {
    let done = 0;
    while (done < this.#buffered)
      done += writeSync(this.#file.fd, this.#buffer, done, this.#buffered - done, this.#written + done);
    this.#written += this.#buffered;
    this.#buffered = 0;
  }

  /** The record at `offset` of the key log (on disk or still buffered). */
  #readAt(offset: number): { line: number; key: string } {
    if (offset >= this.#written) {
      const at = offset - this.#written;
      const length = this.#buffer.readUInt32LE(at + 4);
      return {
        line: this.#buffer.readUInt32LE(at),
        key: this.#buffer.toString('utf8', at + HEADER, at + HEADER + length),
      };
    }
    const header = Buffer.allocUnsafe(HEADER);
    readExactly(this.#file.fd, header, offset);
    const body = Buffer.allocUnsafe(header.readUInt32LE(4));
    readExactly(this.#file.fd, body, offset + HEADER);
    return { line: header.readUInt32LE(0), key: body.toString('utf8') };
  }

  /** The line of `key` by reading the whole key log (a hash shared by two keys). */
  #scan(key: string): number | undefined {
    for (let offset = 0; offset < this.#written + this.#buffered; ) {
      const record = this.#readAt(offset);
      if (record.key === key) return record.line;
      offset += HEADER + Buffer.byteLength(record.key);
    }
    return undefined;
  }
}

function readExactly(fd: number, buffer: Buffer, position: number): void {
  for (let read = 0; read < buffer.length; ) {
    const bytes = readSync(fd, buffer, read, buffer.length - read, position + read);
    if (bytes === 0) throw new Error(`A key spill file ended early at byte ${position + read}`);
    read += bytes;
  }
}

/**
 * A 64-bit hash of a string (two independent 32-bit hashes over its UTF-16 code units), as
 * `[hi, lo]`. Two distinct keys share it with a chance of about n² / 2^65 (3e-8 for 1M keys).
 */
export function keyHash(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [mix(a ^ key.length), mix(b)];
}

function mix(h: number): number {
  let x = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
