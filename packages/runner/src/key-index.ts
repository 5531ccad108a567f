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
  let x = h;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * An open-addressing hash table from a key's 64-bit hash to a number (an integer 0..2^53, e.g. a
 * byte offset with a state in its low bits), in typed arrays: 16 bytes a slot, at most 75% full,
 * so about 21-43 bytes a key whatever the key's length. It holds hashes, not keys: the caller
 * confirms a hit against the real key. Same methods as core's HashSpill, all in memory.
 */
export class KeyIndex {
  #hi: Uint32Array;
  #lo: Uint32Array;
  /** Value + 1; 0 marks an empty slot. */
  #values: Float64Array;
  #mask: number;
  /** Distinct hashes stored. */
  size = 0;

  /** `capacity`: initial slots, rounded up to a power of two; default 1024. */
  constructor(capacity = 1024) {
    let slots = 16;
    while (slots < capacity) slots *= 2;
    this.#hi = new Uint32Array(slots);
    this.#lo = new Uint32Array(slots);
    this.#values = new Float64Array(slots);
    this.#mask = slots - 1;
  }

  /** The value of the hash, or -1 when it was never set. */
  get(hi: number, lo: number): number {
    return (this.#values[this.#slot(hi, lo)] ?? 0) - 1;
  }

  /** Sets the value of the hash; returns the previous value, or -1 when it is new. */
  set(hi: number, lo: number, value: number): number {
    if ((this.size + 1) * 4 > (this.#mask + 1) * 3) this.#grow();
    const slot = this.#slot(hi, lo);
    const previous = (this.#values[slot] ?? 0) - 1;
    if (previous < 0) {
      this.#hi[slot] = hi;
      this.#lo[slot] = lo;
      this.size++;
    }
    this.#values[slot] = value + 1;
    return previous;
  }

  /** Bytes held by the table's arrays. */
  get bytes(): number {
    return (this.#mask + 1) * 16;
  }

  close(): void {}

  /** The slot holding the hash, or the empty slot where it would go. */
  #slot(hi: number, lo: number): number {
    let slot = lo & this.#mask;
    while ((this.#values[slot] ?? 0) !== 0 && (this.#hi[slot] !== hi || this.#lo[slot] !== lo))
      slot = (slot + 1) & this.#mask;
    return slot;
  }

  #grow(): void {
    const [hi, lo, values] = [this.#hi, this.#lo, this.#values];
    const slots = values.length * 2;
    this.#hi = new Uint32Array(slots);
    this.#lo = new Uint32Array(slots);
    this.#values = new Float64Array(slots);
    this.#mask = slots - 1;
    this.size = 0;
    for (let i = 0; i < values.length; i++) {
      const value = values[i] ?? 0;
      if (value !== 0) this.set(hi[i] ?? 0, lo[i] ?? 0, value - 1);
    }
  }
}
