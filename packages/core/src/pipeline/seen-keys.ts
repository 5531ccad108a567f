/**
 * The keys seen so far in one input, each with the line it was first seen on, for duplicate
 * detection in constant memory per key: an open-addressing table of the key's 64-bit hash and
 * line in typed arrays (12 bytes a slot, at most 75% full: 16-32 bytes a key, whatever its
 * length). Two distinct keys share a hash with a chance of about n² / 2^65 (3e-8 for 1M keys);
 * the later one would then be rejected as a duplicate, never sent twice.
 */
export class SeenKeys {
  #hi = new Uint32Array(1024);
  #lo = new Uint32Array(1024);
  /** Line + 1; 0 marks an empty slot. */
  #lines = new Uint32Array(1024);
  #size = 0;

  /** The line `key` was first seen on, or undefined. */
  get(key: string): number | undefined {
    const [hi, lo] = hash(key);
    const mask = this.#lines.length - 1;
    for (let slot = lo & mask; ; slot = (slot + 1) & mask) {
      const line = this.#lines[slot] ?? 0;
      if (line === 0) return undefined;
      if (this.#hi[slot] === hi && this.#lo[slot] === lo) return line - 1;
    }
  }

  /** Records `key` as first seen on `line` (a key already seen keeps its first line). */
  set(key: string, line: number): void {
    if ((this.#size + 1) * 4 > this.#lines.length * 3) this.#grow();
    const [hi, lo] = hash(key);
    if (this.#insert(hi, lo, line + 1)) this.#size++;
  }

  /** Distinct keys seen. */
  get size(): number {
    return this.#size;
  }

  #insert(hi: number, lo: number, value: number): boolean {
    const mask = this.#lines.length - 1;
    let slot = lo & mask;
    for (; (this.#lines[slot] ?? 0) !== 0; slot = (slot + 1) & mask) {
      if (this.#hi[slot] === hi && this.#lo[slot] === lo) return false;
    }
    this.#hi[slot] = hi;
    this.#lo[slot] = lo;
    this.#lines[slot] = value;
    return true;
  }

  #grow(): void {
    const [hi, lo, lines] = [this.#hi, this.#lo, this.#lines];
    this.#hi = new Uint32Array(lines.length * 2);
    this.#lo = new Uint32Array(lines.length * 2);
    this.#lines = new Uint32Array(lines.length * 2);
    for (let i = 0; i < lines.length; i++) {
      const value = lines[i] ?? 0;
      if (value !== 0) this.#insert(hi[i] ?? 0, lo[i] ?? 0, value);
    }
  }
}

/** Two independent 32-bit hashes of the key's UTF-16 code units, as `[hi, lo]`. */
function hash(key: string): [number, number] {
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
