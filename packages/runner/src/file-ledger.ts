import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, rename, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { Ledger, LedgerEntry, RecordState } from '@koppel/core';
import { LedgerError } from '@koppel/core';
import { KeyIndex, keyHash } from './key-index.js';
import { encodeLine, type LogEnd, readLineAt, readLog } from './ledger-log.js';

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
 * Memory does not grow with the entries' size: the ledger keeps a KeyIndex (a key's 64-bit hash
 * -> the byte offset of its last line, and its state), about 25-45 bytes a key, and reads an
 * entry back from the log when asked. A hit is confirmed against the key in the line; two keys
 * with the same hash fall back to a scan of the log, so `get` (what decides whether a record is
 * sent) and compaction are always exact. `entries()` and `counts()` see such a pair as one key:
 * a report may miss one line, with a chance of about n² / 2^65 (3e-8 for 1M keys).
 */
export class FileLedger implements Ledger {
  readonly path: string;
  /** Lines ignored on open because a crash tore them. */
  readonly droppedOnOpen: number;
  readonly #file: FileHandle;
  readonly #index: KeyIndex;
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

  private constructor(path: string, file: FileHandle, scan: Scan) {
    this.path = path;
    this.#file = file;
    this.#index = scan.index;
    this.#base = scan.end.validBytes;
    this.#end = scan.end.validBytes;
    this.droppedOnOpen = scan.end.dropped;
    for (let slot = 0; slot < scan.counts.length; slot++) this.#counts[slot] = scan.counts[slot] ?? 0;
  }

  /** Opens (or creates) the ledger in `dir`. */
  static async open(dir: string): Promise<FileLedger> {
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'ledger.log');
    let file = await openLog(path, 'a+');
    let scan: Scan;
    try {
      scan = await scanLog(file);
      if (scan.end.dropped > 0) await truncate(path, scan.end.validBytes);
      if (scan.lines > 2 * scan.index.size + 1000) {
        const dropped = scan.end.dropped;
        await compact(dir, path, file, scan.index);
        await file.close();
        file = await openLog(path, 'a+');
        scan = await scanLog(file);
        scan.end.dropped = dropped;
      }
    } catch (error) {
      await file.close();
      throw error;
    }
    return new FileLedger(path, file, scan);
  }

  /** Reads the entries of the ledger in `dir` without opening it for writing (another process may own it). */
  static async read(dir: string): Promise<Map<string, LedgerEntry>> {
    const map = new Map<string, LedgerEntry>();
    let file: FileHandle;
    try {
      file = await open(join(dir, 'ledger.log'), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return map;
      throw new LedgerError(
        `Could not read the ledger ${join(dir, 'ledger.log')}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    try {
      for await (const { value } of readLog<LedgerEntry>(file)) map.set(value.key, settle(value, 0, 1));
    } finally {
      await file.close();
    }
    return map;
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
      const previous = this.#index.set(keyHash(entry.key), this.#end, state);
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

  /** Every entry (the last line per key), streamed from the log in the order keys first settled there. */
  async *entries(): AsyncIterable<LedgerEntry> {
    await this.#flushing;
    const end = this.#end;
    for await (const { value, offset } of readLog<LedgerEntry>(this.#file)) {
      if (offset >= end) break;
      const slot = this.#index.find(keyHash(value.key));
      if (slot >= 0 && this.#index.value(slot) === offset) yield settle(value, offset, this.#base);
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
      await this.#file.close();
    }
  }

  /** The last entry of `key` on disk: through the index, or by a scan when its hash is shared. */
  async #read(key: string): Promise<LedgerEntry | undefined> {
    const slot = this.#index.find(keyHash(key));
    if (slot < 0) return undefined;
    const offset = this.#index.value(slot);
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
  index: KeyIndex;
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

/** Builds the index of a log in one streaming pass; `inflight` counts as `uncertain`. */
async function scanLog(file: FileHandle): Promise<Scan> {
  const index = new KeyIndex();
  const counts = [0, 0, 0, 0, 0];
  const end: LogEnd = { validBytes: 0, dropped: 0 };
  let lines = 0;
  for await (const { value, offset } of readLog<LedgerEntry>(file, end)) {
    lines++;
    const state = STATES.indexOf(value.state === 'inflight' ? 'uncertain' : value.state);
    const previous = index.set(keyHash(value.key), offset, state);
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
async function compact(dir: string, path: string, log: FileHandle, index: KeyIndex): Promise<void> {
  const temp = `${path}.compact`;
  const file = await open(temp, 'w');
  try {
    let chunk = '';
    // Keys whose hash another key took over (a 64-bit collision): their own last line, kept too.
    const shadowed = new Map<string, LedgerEntry>();
    for await (const { value, offset } of readLog<LedgerEntry>(log)) {
      const latest = index.value(index.find(keyHash(value.key)));
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
