import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, rename, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { Ledger, LedgerEntry, RecordState } from '@koppel/core';
import { HashSpill, type HashSpillOptions, keyHash, LedgerError } from '@koppel/core';
import { encodeLine, type LogEnd, readLineAt, readLog } from './ledger-log.js';

/** Options of FileLedger.open. */
export interface FileLedgerOptions {
  /** The 64-bit hash of a key as [hi, lo]; default keyHash (tests inject colliding ones). */
  hash?: (key: string) => readonly [number, number];
  /** Options of the index (e.g. how many keys it holds in memory before spilling to disk). */
  index?: HashSpillOptions;
}

type Hash = (key: string) => readonly [number, number];

/** Index values: the byte offset of a key's last line times 8, plus its state (0-4). */
const pack = (offset: number, state: number): number => offset * 8 + state;
const offsetOf = (packed: number): number => Math.floor(packed / 8);

/** Counts of a ledger per state. */
export type LedgerCounts = Record<Exclude<RecordState, 'inflight'>, number>;

const STATES: readonly RecordState[] = ['pending', 'inflight', 'done', 'rejected', 'uncertain'];
const CRASHED = 'the run ended while the request was in flight';

/**
 * The local ledger of one run: `ledger.log` in the run directory, append-only, one checksummed
 * JSON line per change; the last line per key wins. Writes are group-committed: concurrent
 * `write` calls share one `write` + `fdatasync`, and each resolves only once its lines are on disk.
 * On open, a torn tail is cut off and `inflight` entries (a crash mid-request) become `uncertain`.
 *
 * Memory does not grow with the entries' size: the ledger keeps an index (a key's 64-bit hash
 * -> the byte offset of its last line and its state) and reads an entry back from the log when
 * asked. A hit is confirmed against the key in the line; two keys with the same hash fall back
 * to a scan of the log, so `get` (what decides whether a record is sent) and compaction are
 * always exact. `entries()` and `counts()` see such a pair as one key: a report may miss one
 * line, with a chance of about n² / 2^65 (3e-8 for 1M keys).
 */
export class FileLedger implements Ledger {
  readonly path: string;
  /** Lines ignored on open because a crash tore them. */
  readonly droppedOnOpen: number;
  readonly #file: FileHandle;
  readonly #index: HashSpill;
  readonly #hash: Hash;
  /** Log size at open: an `inflight` line before it was left by a crash. */
  readonly #base: number;
  /** Byte offset where the next line goes (the file plus what is buffered). */
  #end: number;
  /** Entries written but not yet handed to the file, by key. */
  #unflushed = new Map<string, LedgerEntry>();
  /** Entries being written to the file right now, by key. */
  #writing = new Map<string, LedgerEntry>();
  readonly #counts = [0, 0, 0, 0, 0];
  #buffer: string[] = [];
  #waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  #flushing: Promise<void> | undefined;
  #failure: LedgerError | undefined;
  #closed = false;

  private constructor({
    path,
    file,
    scan,
    hash,
  }: { path: string; file: FileHandle; scan: Scan; hash: Hash }) {
    this.path = path;
    this.#file = file;
    this.#index = scan.index;
    this.#hash = hash;
    this.#base = scan.end.validBytes;
    this.#end = scan.end.validBytes;
    this.droppedOnOpen = scan.end.dropped;
    for (let slot = 0; slot < scan.counts.length; slot++) this.#counts[slot] = scan.counts[slot] ?? 0;
  }

  /** Opens (or creates) the ledger in `dir`. */
  static async open(dir: string, options: FileLedgerOptions = {}): Promise<FileLedger> {
    const hash = options.hash ?? keyHash;
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'ledger.log');
    let file = await openLog(path, 'a+');
    let scan: Scan | undefined;
    try {
      scan = await scanLog(file, hash, options.index);
      if (scan.end.dropped > 0) await truncate(path, scan.end.validBytes);
      if (scan.lines > 2 * scan.index.size + 1000) {
        const dropped = scan.end.dropped;
        await compact(dir, path, { file, index: scan.index, hash });
        scan.index.close();
        await file.close();
        file = await openLog(path, 'a+');
        scan = await scanLog(file, hash, options.index);
        scan.end.dropped = dropped;
      }
    } catch (error) {
      scan?.index.close();
      await file.close();
      throw error;
    }
    return new FileLedger({ path, file, scan, hash });
  }

  /**
   * Streams the entries (the last line per key) of the ledger in `dir` without opening it for
   * writing (another process may own it); `inflight` ones as `uncertain`. Nothing when it has none.
   */
  static async *readEntries(dir: string, options: FileLedgerOptions = {}): AsyncGenerator<LedgerEntry> {
    const hash = options.hash ?? keyHash;
    let file: FileHandle;
    try {
      file = await open(join(dir, 'ledger.log'), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new LedgerError(
        `Could not read the ledger ${join(dir, 'ledger.log')}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    let index: HashSpill | undefined;
    try {
      const scan = await scanLog(file, hash, options.index);
      index = scan.index;
      for await (const { value } of lastLines({ file, index, hash }, scan.end.validBytes))
        yield settle(value, 0, 1);
    } finally {
      index?.close();
      await file.close();
    }
  }

  async get(keys: readonly string[]): Promise<(LedgerEntry | undefined)[]> {
    const entries: (LedgerEntry | undefined)[] = [];
    for (const key of keys)
      entries.push(this.#unflushed.get(key) ?? this.#writing.get(key) ?? (await this.#read(key)));
    return entries;
  }

  write(entries: readonly LedgerEntry[]): Promise<void> {
    if (this.#closed)
      return Promise.reject(
        new LedgerError(`The ledger ${this.path} is closed; nothing more can be recorded`),
      );
    if (this.#failure) return Promise.reject(this.#failure);
    let lines = '';
    for (const entry of entries) {
      const line = encodeLine(entry);
      const state = STATES.indexOf(entry.state);
      const [hi, lo] = this.#hash(entry.key);
      const previous = this.#index.set(hi, lo, pack(this.#end, state)) % 8;
      if (previous >= 0) this.#counts[previous] = (this.#counts[previous] ?? 1) - 1;
      this.#counts[state] = (this.#counts[state] ?? 0) + 1;
      this.#unflushed.set(entry.key, entry);
      this.#end += Buffer.byteLength(line);
      lines += line;
    }
    this.#buffer.push(lines);
    const done = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    this.#flushing ??= this.#flush();
    return done;
  }

  /**
   * Every entry (the last line per key), streamed from the log in the order keys first settled
   * there; with `states`, only entries in those states (lines in other states are passed over
   * without an index lookup: results.jsonl reads a third of the log's lines).
   */
  async *entries(states?: readonly RecordState[]): AsyncIterable<LedgerEntry> {
    await this.#flushing;
    const wanted = states && new Set<string>(states);
    for await (const { value, offset } of lastLines(this.#log(), this.#end, wanted)) {
      const entry = settle(value, offset, this.#base);
      if (!wanted || wanted.has(entry.state)) yield entry;
    }
  }

  /**
   * The rejected entries in the order of their first record in the input (for the rejects file):
   * one pass over the log keeps 16 bytes a rejected entry (its input position and log offset),
   * then each entry is read back from the log in that order.
   */
  async *rejected(): AsyncIterable<LedgerEntry> {
    await this.#flushing;
    let pairs = new Float64Array(256);
    let count = 0;
    const rejected = new Set(['rejected']);
    for await (const { value, offset } of lastLines(this.#log(), this.#end, rejected)) {
      if (count * 2 === pairs.length) {
        const bigger = new Float64Array(pairs.length * 2);
        bigger.set(pairs);
        pairs = bigger;
      }
      pairs[count * 2] = value.records?.[0]?.origin.index ?? 0;
      pairs[count * 2 + 1] = offset;
      count++;
    }
    const order = Uint32Array.from({ length: count }, (_, i) => i);
    order.sort(
      (a, b) =>
        (pairs[a * 2] ?? 0) - (pairs[b * 2] ?? 0) || (pairs[a * 2 + 1] ?? 0) - (pairs[b * 2 + 1] ?? 0),
    );
    for (const i of order) {
      const offset = pairs[i * 2 + 1] ?? 0;
      const entry = await readLineAt<LedgerEntry>(this.#file, offset);
      if (entry) yield settle(entry, offset, this.#base);
    }
  }

  /** Entry counts per state (`inflight` is counted as `uncertain`). */
  counts(): LedgerCounts {
    const [pending = 0, inflight = 0, done = 0, rejected = 0, uncertain = 0] = this.#counts;
    return { pending, done, rejected, uncertain: uncertain + inflight };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#flushing;
    } finally {
      this.#index.close();
      await this.#file.close();
    }
  }

  #log(): IndexedLog {
    return { file: this.#file, index: this.#index, hash: this.#hash };
  }

  /** The last entry of `key` on disk: through the index, or by a scan when its hash is shared. */
  async #read(key: string): Promise<LedgerEntry | undefined> {
    const packed = this.#index.get(...this.#hash(key));
    if (packed < 0) return undefined;
    const offset = offsetOf(packed);
    const entry = await readLineAt<LedgerEntry>(this.#file, offset);
    if (entry === undefined)
      throw new LedgerError(
        `The ledger ${this.path} has no valid line at byte ${offset}; it was changed while open`,
      );
    if (entry.key === key) return settle(entry, offset, this.#base);
    // Another key with the same 64-bit hash wrote last: find this key's own last line.
    let found: LedgerEntry | undefined;
    for await (const line of readLog<LedgerEntry>(this.#file)) {
      if (line.offset >= this.#end) break;
      if (line.value.key === key) found = settle(line.value, line.offset, this.#base);
    }
    return found;
  }

  async #flush(): Promise<void> {
    while (this.#buffer.length > 0) {
      const data = this.#buffer.join('');
      const waiters = this.#waiters;
      this.#writing = this.#unflushed;
      this.#buffer = [];
      this.#waiters = [];
      this.#unflushed = new Map();
      try {
        await this.#file.write(data);
        await this.#file.datasync();
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        // The index now points past the end of the file: refuse any further write.
        this.#failure = new LedgerError(
          `Could not write the ledger ${this.path}: ${(error as Error).message}`,
          { cause: error },
        );
        for (const waiter of waiters) waiter.reject(this.#failure);
      }
      this.#writing = new Map();
    }
    this.#flushing = undefined;
  }
}

interface Scan {
  index: HashSpill;
  counts: number[];
  lines: number;
  end: LogEnd;
}

async function openLog(path: string, flags: string): Promise<FileHandle> {
  try {
    return await open(path, flags);
  } catch (error) {
    throw new LedgerError(`Could not open the ledger ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** A log with its index: what reading its last lines and compacting it need. */
interface IndexedLog {
  file: FileHandle;
  index: HashSpill;
  hash: Hash;
}

/** The lines of a log before `end` that are the last line of their key (by the index). */
async function* lastLines(
  { file, index, hash }: IndexedLog,
  end: number,
  states?: ReadonlySet<string>,
): AsyncGenerator<{ value: LedgerEntry; offset: number }> {
  for await (const line of readLog<LedgerEntry>(file)) {
    if (line.offset >= end) break;
    // An `inflight` line may come back as `uncertain` (settle): keep it when either is wanted.
    const state = line.value.state;
    if (states && !states.has(state) && !(state === 'inflight' && states.has('uncertain'))) continue;
    const packed = index.get(...hash(line.value.key));
    if (packed >= 0 && offsetOf(packed) === line.offset) yield line;
  }
}

/** Builds the index of a log in one streaming pass; `inflight` counts as `uncertain`. */
async function scanLog(file: FileHandle, hash: Hash, options?: HashSpillOptions): Promise<Scan> {
  const index = new HashSpill(options);
  const counts = [0, 0, 0, 0, 0];
  const end: LogEnd = { validBytes: 0, dropped: 0 };
  let lines = 0;
  for await (const { value, offset } of readLog<LedgerEntry>(file, end)) {
    lines++;
    const state = STATES.indexOf(value.state === 'inflight' ? 'uncertain' : value.state);
    const [hi, lo] = hash(value.key);
    const previous = index.set(hi, lo, pack(offset, state)) % 8;
    if (previous >= 0) counts[previous] = (counts[previous] ?? 1) - 1;
    counts[state] = (counts[state] ?? 0) + 1;
  }
  return { index, counts, lines, end };
}

/** An entry as read back: `inflight` from before `base` (a crash mid-request) is `uncertain`. */
function settle(entry: LedgerEntry, offset: number, base: number): LedgerEntry {
  return entry.state === 'inflight' && offset < base
    ? { ...entry, state: 'uncertain', error: CRASHED }
    : entry;
}

/**
 * Rewrites a ledger with one line per key (the current state), crash-safe: the new file is
 * written and synced under a temporary name, then renamed over the old one and the directory
 * synced, so a crash leaves either the old log or the new one.
 */
async function compact(dir: string, path: string, { file: log, index, hash }: IndexedLog): Promise<void> {
  const temp = `${path}.compact`;
  const file = await open(temp, 'w');
  try {
    let chunk = '';
    // Keys whose hash another key took over (a 64-bit collision): their own last line, kept too.
    const shadowed = new Map<string, LedgerEntry>();
    for await (const { value, offset } of readLog<LedgerEntry>(log)) {
      const latest = offsetOf(index.get(...hash(value.key)));
      if (latest !== offset) {
        if ((await readLineAt<LedgerEntry>(log, latest))?.key !== value.key) shadowed.set(value.key, value);
        continue;
      }
      chunk += encodeLine(settle(value, 0, 1));
      if (chunk.length > 1 << 20) {
        await file.write(chunk);
        chunk = '';
      }
    }
    for (const value of shadowed.values()) chunk += encodeLine(settle(value, 0, 1));
    await file.write(chunk);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, path);
  const directory = await open(dir, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}
