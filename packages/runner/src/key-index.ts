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
 * An open-addressing hash table from a key's 64-bit hash to a number (a byte offset) and a small
 * state, in typed arrays: 17 bytes a slot, at most 75% full, so about 25-45 bytes a key whatever
 * the key's length. It holds hashes, not keys: the caller confirms a hit against the real key.
 */
export class KeyIndex {
  #hi: Uint32Array;
  #lo: Uint32Array;
  #values: Float64Array;
  #states: Uint8Array;
  #mask: number;
  /** Distinct hashes stored. */
  size = 0;

  /** `capacity`: initial slots, rounded up to a power of two; default 1024. */
  constructor(capacity = 1024) {
    let slots = 16;
    while (slots < capacity) slots *= 2;
    this.#hi = new Uint32Array(slots);
    this.#lo = new Uint32Array(slots);
    this.#values = new Float64Array(slots).fill(-1);
    this.#states = new Uint8Array(slots);
    this.#mask = slots - 1;
  }

  /** The slot of `hash`, or -1 when it was never stored. */
  find(hash: readonly [number, number]): number {
    const [hi, lo] = hash;
    for (let slot = lo & this.#mask; ; slot = (slot + 1) & this.#mask) {
      if ((this.#values[slot] ?? -1) < 0) return -1;
      if (this.#hi[slot] === hi && this.#lo[slot] === lo) return slot;
    }
  }

  /** Stores `value` (>= 0) and `state` for `hash`; returns the previous state, or -1 when new. */
  set(hash: readonly [number, number], value: number, state: number): number {
    if ((this.size + 1) * 4 > (this.#mask + 1) * 3) this.#grow();
    const [hi, lo] = hash;
    let slot = lo & this.#mask;
    for (; (this.#values[slot] ?? -1) >= 0; slot = (slot + 1) & this.#mask) {
      if (this.#hi[slot] === hi && this.#lo[slot] === lo) {
        const previous = this.#states[slot] ?? 0;
        this.#values[slot] = value;
        this.#states[slot] = state;
        return previous;
      }
    }
    this.#hi[slot] = hi;
    this.#lo[slot] = lo;
    this.#values[slot] = value;
    this.#states[slot] = state;
    this.size++;
    return -1;
  }

  value(slot: number): number {
    return this.#values[slot] ?? -1;
  }

  state(slot: number): number {
    return this.#states[slot] ?? 0;
  }

  /** Bytes held by the table's arrays. */
  get bytes(): number {
    return (this.#mask + 1) * 17;
  }

  #grow(): void {
    const hi = this.#hi;
    const lo = this.#lo;
    const values = this.#values;
    const states = this.#states;
    const slots = (this.#mask + 1) * 2;
    this.#hi = new Uint32Array(slots);
    this.#lo = new Uint32Array(slots);
    this.#values = new Float64Array(slots).fill(-1);
    this.#states = new Uint8Array(slots);
    this.#mask = slots - 1;
    this.size = 0;
    for (let i = 0; i < values.length; i++) {
      const value = values[i] ?? -1;
      if (value >= 0) this.set([hi[i] ?? 0, lo[i] ?? 0], value, states[i] ?? 0);
    }
  }
}
