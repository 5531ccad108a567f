import { createTextEncoder } from '../encoding/encode-text.js';
import { bomBytes, type TextEncoding } from '../encoding/text-encoding.js';
import { AtomicFile } from './atomic-file.js';

/**
 * A streaming output file. Nothing appears under `path` until `close()`; `abort()` discards
 * what was written. `close()` and `abort()` are idempotent.
 */
export interface OutputWriter<T> {
  /** Final path of the file. */
  readonly path: string;
  /** Number of items written so far. */
  readonly count: number;
  /** Appends one item; await it to respect backpressure. */
  write(item: T): Promise<void>;
  /** Finishes the file and moves it into place. */
  close(): Promise<void>;
  /** Deletes the unfinished file. */
  abort(): Promise<void>;
}

/** An atomic file that takes text and writes it in an encoding, with an optional BOM first. */
export interface TextFile {
  writeText(text: string): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** Opens an atomic text file in `encoding`, writing the BOM first when `bom` is true. */
export async function openTextFile(path: string, encoding: TextEncoding, bom: boolean): Promise<TextFile> {
  const file = await AtomicFile.create(path);
  const encode = createTextEncoder(encoding);
  if (bom) await file.write(bomBytes(encoding));
  return {
    writeText: (text) => file.write(encode(text)),
    commit: () => file.commit(),
    abort: () => file.abort(),
  };
}
