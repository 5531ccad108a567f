import { AscendingRuns } from './ascending-runs.js';

const NUMERIC = /^(?:0|[1-9]\d{0,14})$/;

/**
 * The keys of closed groups and the line where each started, kept compactly and exactly (never a
 * hash guess): decimal integer keys in ascending order (sorted exports) as runs, 4 bytes per key;
 * other integer keys in an open-addressing table of typed arrays (12 bytes per slot, at most half
 * full); anything else in a Map.
 */
export class ClosedKeys {
  readonly #ascending = new AscendingRuns();
  #keys = new Float64Array(1024);
  #lines = new Int32Array(1024);
  #size = 0;
  readonly #other = new Map<string, number>();

  /** Line where the group with this key started, or undefined when the key was never closed. */
  get(key: string): number | undefined {
    if (!NUMERIC.test(key)) return this.#other.get(key);
    const inRun = this.#ascending.get(Number(key));
    if (inRun !== undefined) return inRun;
    const stored = Number(key) + 1;
    const mask = this.#keys.length - 1;
    for (let slot = hash(stored) & mask; ; slot = (slot + 1) & mask) {
      const found = this.#keys[slot];
      if (found === 0) return undefined;
      if (found === stored) return this.#lines[slot];
    }
  }

  /** Records that the group with this key started at `line` (first time only). */
  set(key: string, line: number): void {
    if (!NUMERIC.test(key)) {
      if (!this.#other.has(key)) this.#other.set(key, line);
      return;
    }
    const value = Number(key);
    if (value > this.#ascending.last) {
      this.#ascending.add(value, line);
      return;
    }
    if (this.get(key) !== undefined) return;
    if ((this.#size + 1) * 2 > this.#keys.length) this.#grow();
    if (this.#insert(value + 1, line)) this.#size++;
  }

  /** Number of keys held. */
  get size(): number {
    return this.#ascending.size + this.#size + this.#other.size;
  }

  #insert(stored: number, line: number): boolean {
    const mask = this.#keys.length - 1;
    for (let slot = hash(stored) & mask; ; slot = (slot + 1) & mask) {
      const found = this.#keys[slot];
      if (found === stored) return false;
      if (found === 0) {
        this.#keys[slot] = stored;
        this.#lines[slot] = line;
        return true;
      }
    }
  }

  #grow(): void {
    const keys = this.#keys;
    const lines = this.#lines;
    this.#keys = new Float64Array(keys.length * 2);
    this.#lines = new Int32Array(keys.length * 2);
    for (let slot = 0; slot < keys.length; slot++) {
      const stored = keys[slot] as number;
      if (stored !== 0) this.#insert(stored, lines[slot] as number);
    }
  }
}

function hash(value: number): number {
  const low = value >>> 0;
  const high = Math.floor(value / 4294967296) >>> 0;
  let h = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
