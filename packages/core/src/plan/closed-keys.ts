import { KeyLines, type KeyLinesOptions } from '../pipeline/key-lines.js';
import { AscendingRuns } from './ascending-runs.js';

const NUMERIC = /^(?:0|[1-9]\d{0,14})$/;

/**
 * The keys of closed groups and the line where each started, kept exactly (never a hash guess) in
 * memory that does not grow with the number of groups: decimal integer keys in ascending order
 * (sorted exports) as runs, 4 bytes per key; any other key in KeyLines (a Map while small, then a
 * key log on disk with a hash index of about 1.5 bytes a key).
 */
export class ClosedKeys {
  readonly #ascending = new AscendingRuns();
  readonly #other: KeyLines;

  constructor(options: KeyLinesOptions = {}) {
    this.#other = new KeyLines(options);
  }

  /** Line where the group with this key started, or undefined when the key was never closed. */
  get(key: string): number | undefined {
    if (NUMERIC.test(key)) {
      const inRun = this.#ascending.get(Number(key));
      if (inRun !== undefined) return inRun;
    }
    return this.#other.get(key);
  }

  /** Records that the group with this key started at `line` (first time only). */
  set(key: string, line: number): void {
    if (NUMERIC.test(key) && Number(key) > this.#ascending.last) {
      this.#ascending.add(Number(key), line);
      return;
    }
    if (this.get(key) === undefined) this.#other.set(key, line);
  }

  /** Number of keys held. */
  get size(): number {
    return this.#ascending.size + this.#other.size;
  }

  /** Deletes the spill files; idempotent (also done when the object is garbage-collected). */
  close(): void {
    this.#other.close();
  }
}
