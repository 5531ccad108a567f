/** Lines per block: blocks are added, never copied, so growing leaves no garbage behind. */
const BLOCK_BITS = 16;
const BLOCK = 1 << BLOCK_BITS;

/**
 * Integer keys that arrive in ascending order, stored as runs of consecutive keys: 4 bytes per key
 * (its line, in blocks of 64k) plus 12 bytes per run. Sorted exports (entry 1001, 1002, …) cost
 * one run in total.
 */
export class AscendingRuns {
  #starts = new Float64Array(16);
  #offsets = new Int32Array(16);
  #runs = 0;
  readonly #blocks: Int32Array[] = [];
  #count = 0;
  #last = -1;

  /** The largest key added, or -1. Only keys above it can be added. */
  get last(): number {
    return this.#last;
  }

  /** Adds `key` (> last) with its line. */
  add(key: number, line: number): void {
    if (key !== this.#last + 1 || this.#runs === 0) {
      if (this.#runs === this.#starts.length) {
        this.#starts = grow(this.#starts, new Float64Array(this.#runs * 2));
        this.#offsets = grow(this.#offsets, new Int32Array(this.#runs * 2));
      }
      this.#starts[this.#runs] = key;
      this.#offsets[this.#runs] = this.#count;
      this.#runs++;
    }
    if ((this.#count & (BLOCK - 1)) === 0) this.#blocks.push(new Int32Array(BLOCK));
    (this.#blocks[this.#count >>> BLOCK_BITS] as Int32Array)[this.#count & (BLOCK - 1)] = line;
    this.#count++;
    this.#last = key;
  }

  /** The line of `key`, or undefined. */
  get(key: number): number | undefined {
    if (key > this.#last || this.#runs === 0 || key < (this.#starts[0] as number)) return undefined;
    let low = 0;
    let high = this.#runs - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.#starts[mid] as number) <= key) low = mid;
      else high = mid - 1;
    }
    const start = this.#starts[low] as number;
    const offset = this.#offsets[low] as number;
    const end = low + 1 < this.#runs ? (this.#offsets[low + 1] as number) : this.#count;
    const index = offset + (key - start);
    return index < end ? this.#blocks[index >>> BLOCK_BITS]?.[index & (BLOCK - 1)] : undefined;
  }

  get size(): number {
    return this.#count;
  }
}

function grow<T extends Float64Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
