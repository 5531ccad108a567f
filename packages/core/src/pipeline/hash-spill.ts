import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface HashSpillOptions {
  /** Entries held in memory before they are written to disk as one sorted run; default 65536. */
  memoryEntries?: number;
  /** Directory of the spill files (each is deleted as soon as it is opened); default the OS temp directory. */
  dir?: string;
}

/** Records of a run file: hi (u32), lo (u32), value (f64), little-endian. */
const RECORD = 16;
/** Records per block: one read of a lookup, one entry of a run's sparse index. */
const BLOCK = 256;
const BLOOM_BITS_PER_ENTRY = 10;
const BLOOM_PROBES = 7;
/** Records per sequential read or write of a spill or merge (64 KiB). */
const CHUNK = 4096;

/** A sorted run on disk: its records, a Bloom filter and the first hash of each block. */
interface Run {
  fd: number;
  count: number;
  bloom: Uint32Array;
  firstHi: Uint32Array;
  firstLo: Uint32Array;
}

const closeRuns = (fds: Set<number>): void => {
  for (const fd of fds) {
    try {
      closeSync(fd);
    } catch {}
  }
  fds.clear();
};
/** Closes the spill files of a map that was dropped without `close()`. */
const finalizer = new FinalizationRegistry<Set<number>>(closeRuns);

/**
 * A map from a 64-bit hash (`hi`, `lo`) to a number (an integer 0..2^53), newest value wins, in
 * memory that does not grow with the number of keys: the newest `memoryEntries` live in a
 * typed-array hash table; older ones in sorted runs on disk (16 bytes a key, merged two by two
 * so there are about log2(n / memoryEntries) of them), each with a Bloom filter (10 bits a key,
 * 1% false hits) and a sparse index (one hash per 256 keys) in memory: about 1.3 bytes a key.
 * A lookup of a missing hash mostly stays in memory; a hit reads one 4 KiB block per run.
 * It stores hashes, not keys: callers confirm a hit against the real key.
 */
export class HashSpill {
  readonly #limit: number;
  readonly #dir: string;
  #hi: Uint32Array;
  #lo: Uint32Array;
  /** Value + 1; 0 marks an empty slot. */
  #values: Float64Array;
  #used = 0;
  /** Newest first. */
  #runs: Run[] = [];
  readonly #fds = new Set<number>();
  #block = Buffer.allocUnsafe(BLOCK * RECORD);
  /** Chunks of the run writer and the two readers of a merge, allocated at the first spill and reused. */
  #chunks: [Buffer, Buffer, Buffer] | undefined;
  /** Distinct hashes stored. */
  size = 0;

  constructor(options: HashSpillOptions = {}) {
    const limit = options.memoryEntries ?? 65536;
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`Expected \`memoryEntries\` to be an integer >= 1, got \`${limit}\``);
    this.#limit = limit;
    this.#dir = options.dir ?? tmpdir();
    this.#hi = new Uint32Array(64);
    this.#lo = new Uint32Array(64);
    this.#values = new Float64Array(64);
    finalizer.register(this, this.#fds, this);
  }

  /** The value of the hash, or -1 when it was never set. */
  get(hi: number, lo: number): number {
    const slot = this.#slot(hi, lo);
    if ((this.#values[slot] ?? 0) > 0) return (this.#values[slot] ?? 0) - 1;
    for (const run of this.#runs) {
      const value = this.#find(run, hi, lo);
      if (value >= 0) return value;
    }
    return -1;
  }

  /** Sets the value of the hash; returns the previous value, or -1 when it is new. */
  set(hi: number, lo: number, value: number): number {
    let slot = this.#slot(hi, lo);
    let previous = (this.#values[slot] ?? 0) - 1;
    if (previous < 0) {
      for (const run of this.#runs) {
        previous = this.#find(run, hi, lo);
        if (previous >= 0) break;
      }
      if (previous < 0) this.size++;
      if (this.#used >= this.#limit) {
        this.#spill();
        slot = this.#slot(hi, lo);
      } else if ((this.#used + 1) * 2 > this.#values.length) {
        this.#grow();
        slot = this.#slot(hi, lo);
      }
      this.#hi[slot] = hi;
      this.#lo[slot] = lo;
      this.#used++;
    }
    this.#values[slot] = value + 1;
    return previous;
  }

  /** Sorted runs on disk (for tests and figures). */
  get runs(): number {
    return this.#runs.length;
  }

  /** Closes and so deletes the spill files; idempotent. The map is empty afterwards. */
  close(): void {
    closeRuns(this.#fds);
    finalizer.unregister(this);
    this.#runs = [];
    this.#hi = new Uint32Array(64);
    this.#lo = new Uint32Array(64);
    this.#values = new Float64Array(64);
    this.#used = 0;
    this.size = 0;
  }

  /** The memory slot holding the hash, or the empty slot where it would go. */
  #slot(hi: number, lo: number): number {
    const mask = this.#values.length - 1;
    let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
    while ((this.#values[slot] ?? 0) !== 0 && (this.#hi[slot] !== hi || this.#lo[slot] !== lo))
      slot = (slot + 1) & mask;
    return slot;
  }

  #grow(): void {
    const [hi, lo, values] = [this.#hi, this.#lo, this.#values];
    this.#hi = new Uint32Array(values.length * 2);
    this.#lo = new Uint32Array(values.length * 2);
    this.#values = new Float64Array(values.length * 2);
    for (let i = 0; i < values.length; i++) {
      if ((values[i] ?? 0) === 0) continue;
      const slot = this.#slot(hi[i] ?? 0, lo[i] ?? 0);
      this.#hi[slot] = hi[i] ?? 0;
      this.#lo[slot] = lo[i] ?? 0;
      this.#values[slot] = values[i] ?? 0;
    }
  }

  /** Writes the memory table as the newest run, then merges runs of similar size. */
  #spill(): void {
    const order: number[] = [];
    for (let i = 0; i < this.#values.length; i++) if ((this.#values[i] ?? 0) !== 0) order.push(i);
    const [hi, lo, values] = [this.#hi, this.#lo, this.#values];
    order.sort((a, b) => (hi[a] ?? 0) - (hi[b] ?? 0) || (lo[a] ?? 0) - (lo[b] ?? 0));
    const writer = this.#writer(order.length);
    for (const i of order) writer.add(hi[i] ?? 0, lo[i] ?? 0, (values[i] ?? 1) - 1);
    this.#runs.unshift(writer.finish());
    this.#values.fill(0);
    this.#used = 0;
    for (;;) {
      const [newer, older] = this.#runs;
      if (!newer || !older || newer.count * 2 < older.count) break;
      this.#runs.splice(0, 2, this.#merge(newer, older));
    }
  }

  /** Merges two runs into one; for a hash in both, the newer value wins. */
  #merge(newer: Run, older: Run): Run {
    const writer = this.#writer(newer.count + older.count);
    const [, first, second] = this.#buffers();
    const a = new RunReader(newer, first);
    const b = new RunReader(older, second);
    while (a.more || b.more) {
      const order = !a.more ? 1 : !b.more ? -1 : a.hi - b.hi || a.lo - b.lo;
      if (order <= 0) {
        writer.add(a.hi, a.lo, a.value);
        if (order === 0) b.next();
        a.next();
      } else {
        writer.add(b.hi, b.lo, b.value);
        b.next();
      }
    }
    for (const run of [newer, older]) {
      closeSync(run.fd);
      this.#fds.delete(run.fd);
    }
    return writer.finish();
  }

  #writer(capacity: number): RunWriter {
    const path = join(
      this.#dir,
      `koppel-spill-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    );
    const fd = openSync(path, 'w+', 0o600);
    this.#fds.add(fd);
    try {
      unlinkSync(path);
    } catch {}
    return new RunWriter(fd, capacity, this.#buffers()[0]);
  }

  #buffers(): [Buffer, Buffer, Buffer] {
    this.#chunks ??= [0, 1, 2].map(() => Buffer.allocUnsafe(CHUNK * RECORD)) as [Buffer, Buffer, Buffer];
    return this.#chunks;
  }

  /** The value of the hash in a run, or -1. */
  #find(run: Run, hi: number, lo: number): number {
    if (!bloomHas(run.bloom, hi, lo)) return -1;
    // The last block whose first hash is <= the hash.
    let low = 0;
    let high = run.firstHi.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      const order = (run.firstHi[mid] ?? 0) - hi || (run.firstLo[mid] ?? 0) - lo;
      if (order <= 0) low = mid;
      else high = mid - 1;
    }
    const records = Math.min(BLOCK, run.count - low * BLOCK);
    readFully(run.fd, this.#block, { length: records * RECORD, position: low * BLOCK * RECORD });
    let from = 0;
    let to = records - 1;
    while (from <= to) {
      const mid = (from + to) >> 1;
      const at = mid * RECORD;
      const order = this.#block.readUInt32LE(at) - hi || this.#block.readUInt32LE(at + 4) - lo;
      if (order === 0) return this.#block.readDoubleLE(at + 8);
      if (order < 0) from = mid + 1;
      else to = mid - 1;
    }
    return -1;
  }
}

/** Writes sorted records to a run file in chunks, with its Bloom filter and sparse index. */
class RunWriter {
  readonly #fd: number;
  readonly #bloom: Uint32Array;
  readonly #firstHi: number[] = [];
  readonly #firstLo: number[] = [];
  readonly #chunk: Buffer;
  #filled = 0;
  #count = 0;
  #position = 0;

  constructor(fd: number, capacity: number, chunk: Buffer) {
    this.#fd = fd;
    this.#chunk = chunk;
    this.#bloom = new Uint32Array(Math.max(2, Math.ceil((capacity * BLOOM_BITS_PER_ENTRY) / 32)));
  }

  add(hi: number, lo: number, value: number): void {
    if (this.#count % BLOCK === 0) {
      this.#firstHi.push(hi);
      this.#firstLo.push(lo);
    }
    bloomAdd(this.#bloom, hi, lo);
    this.#chunk.writeUInt32LE(hi, this.#filled);
    this.#chunk.writeUInt32LE(lo, this.#filled + 4);
    this.#chunk.writeDoubleLE(value, this.#filled + 8);
    this.#filled += RECORD;
    this.#count++;
    if (this.#filled === this.#chunk.length) this.#flush();
  }

  finish(): Run {
    this.#flush();
    return {
      fd: this.#fd,
      count: this.#count,
      bloom: this.#bloom,
      firstHi: Uint32Array.from(this.#firstHi),
      firstLo: Uint32Array.from(this.#firstLo),
    };
  }

  #flush(): void {
    let written = 0;
    while (written < this.#filled)
      written += writeSync(this.#fd, this.#chunk, written, this.#filled - written, this.#position + written);
    this.#position += this.#filled;
    this.#filled = 0;
  }
}

/** Streams the records of a run in chunks. */
class RunReader {
  readonly #run: Run;
  readonly #chunk: Buffer;
  #index = -1;
  #loaded = 0;
  #at = 0;
  hi = 0;
  lo = 0;
  value = 0;
  more = true;

  constructor(run: Run, chunk: Buffer) {
    this.#run = run;
    this.#chunk = chunk;
    this.next();
  }

  next(): void {
    this.#index++;
    if (this.#index >= this.#run.count) {
      this.more = false;
      return;
    }
    this.#at += RECORD;
    if (this.#at >= this.#loaded) {
      const records = Math.min(CHUNK, this.#run.count - this.#index);
      readFully(this.#run.fd, this.#chunk, { length: records * RECORD, position: this.#index * RECORD });
      this.#loaded = records * RECORD;
      this.#at = 0;
    }
    this.hi = this.#chunk.readUInt32LE(this.#at);
    this.lo = this.#chunk.readUInt32LE(this.#at + 4);
    this.value = this.#chunk.readDoubleLE(this.#at + 8);
  }
}

/** Reads `length` bytes at `position` of a spill file into the start of `buffer`. */
function readFully(
  fd: number,
  buffer: Buffer,
  { length, position }: { length: number; position: number },
): void {
  let read = 0;
  while (read < length) {
    const bytes = readSync(fd, buffer, read, length - read, position + read);
    if (bytes === 0) throw new Error(`A spill file ended early at byte ${position + read}`);
    read += bytes;
  }
}

function bloomAdd(bloom: Uint32Array, hi: number, lo: number): void {
  const bits = bloom.length * 32;
  for (let i = 0; i < BLOOM_PROBES; i++) {
    const bit = ((lo + Math.imul(i, hi | 1)) >>> 0) % bits;
    bloom[bit >>> 5] = (bloom[bit >>> 5] ?? 0) | (1 << (bit & 31));
  }
}

function bloomHas(bloom: Uint32Array, hi: number, lo: number): boolean {
  const bits = bloom.length * 32;
  for (let i = 0; i < BLOOM_PROBES; i++) {
    const bit = ((lo + Math.imul(i, hi | 1)) >>> 0) % bits;
    if (((bloom[bit >>> 5] ?? 0) & (1 << (bit & 31))) === 0) return false;
  }
  return true;
}
