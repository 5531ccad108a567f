import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readFile, rename, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { Ledger, LedgerEntry, RecordState } from '@koppel/core';
import { LedgerError } from '@koppel/core';
import { decodeLog, encodeLine } from './ledger-log.js';

/** Counts of a ledger per state. */
export type LedgerCounts = Record<Exclude<RecordState, 'inflight'>, number>;

/**
 * The local ledger of one run: `ledger.log` in the run directory, append-only, one checksummed
 * JSON line per change; the last line per key wins. Writes are group-committed: concurrent
 * `write` calls share one `write` + `fdatasync`, and each resolves only once its lines are on disk.
 * On open, a torn tail is cut off and `inflight` entries (a crash mid-request) become `uncertain`.
 */
export class FileLedger implements Ledger {
  readonly path: string;
  /** Lines ignored on open because a crash tore them. */
  readonly droppedOnOpen: number;
  readonly #entries: Map<string, LedgerEntry>;
  readonly #file: FileHandle;
  #buffer: string[] = [];
  #waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  #flushing: Promise<void> | undefined;
  #closed = false;

  private constructor(path: string, file: FileHandle, entries: Map<string, LedgerEntry>, dropped: number) {
    this.path = path;
    this.#file = file;
    this.#entries = entries;
    this.droppedOnOpen = dropped;
  }

  /** Opens (or creates) the ledger in `dir`. */
  static async open(dir: string): Promise<FileLedger> {
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'ledger.log');
    const entries = await readEntries(path, true);
    if (entries.lines > 2 * entries.map.size + 1000) await compact(dir, path, entries.map);
    const file = await open(path, 'a');
    return new FileLedger(path, file, entries.map, entries.dropped);
  }

  /** Reads the entries of the ledger in `dir` without opening it for writing (another process may own it). */
  static async read(dir: string): Promise<Map<string, LedgerEntry>> {
    return (await readEntries(join(dir, 'ledger.log'), false)).map;
  }

  async get(keys: readonly string[]): Promise<(LedgerEntry | undefined)[]> {
    return keys.map((key) => this.#entries.get(key));
  }

  write(entries: readonly LedgerEntry[]): Promise<void> {
    if (this.#closed)
      return Promise.reject(
        new LedgerError(`The ledger ${this.path} is closed; nothing more can be recorded`),
      );
    let lines = '';
    for (const entry of entries) {
      this.#entries.set(entry.key, entry);
      lines += encodeLine(entry);
    }
    this.#buffer.push(lines);
    const done = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    this.#flushing ??= this.#flush();
    return done;
  }

  async *entries(): AsyncIterable<LedgerEntry> {
    yield* [...this.#entries.values()];
  }

  /** Entry counts per state (`inflight` is counted as `uncertain`). */
  counts(): LedgerCounts {
    const counts: LedgerCounts = { pending: 0, done: 0, rejected: 0, uncertain: 0 };
    for (const entry of this.#entries.values())
      counts[entry.state === 'inflight' ? 'uncertain' : entry.state]++;
    return counts;
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

  async #flush(): Promise<void> {
    while (this.#buffer.length > 0) {
      const data = this.#buffer.join('');
      const waiters = this.#waiters;
      this.#buffer = [];
      this.#waiters = [];
      try {
        await this.#file.write(data);
        await this.#file.datasync();
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        const failure = new LedgerError(
          `Could not write the ledger ${this.path}: ${(error as Error).message}`,
          { cause: error },
        );
        for (const waiter of waiters) waiter.reject(failure);
      }
    }
    this.#flushing = undefined;
  }
}

/** Reads a ledger log: last entry per key, inflight turned uncertain, a torn tail cut off when `repair`. */
async function readEntries(
  path: string,
  repair: boolean,
): Promise<{ map: Map<string, LedgerEntry>; dropped: number; lines: number }> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { map: new Map(), dropped: 0, lines: 0 };
    throw new LedgerError(`Could not read the ledger ${path}: ${(error as Error).message}`, { cause: error });
  }
  const log = decodeLog<LedgerEntry>(data);
  if (repair && log.validBytes < data.length) await truncate(path, log.validBytes);
  const map = new Map<string, LedgerEntry>();
  for (const entry of log.values) {
    map.set(
      entry.key,
      entry.state === 'inflight'
        ? { ...entry, state: 'uncertain', error: 'the run ended while the request was in flight' }
        : entry,
    );
  }
  return { map, dropped: log.dropped, lines: log.values.length };
}

/**
 * Rewrites a ledger with one line per key (the current state), crash-safe: the new file is
 * written and synced under a temporary name, then renamed over the old one and the directory
 * synced, so a crash leaves either the old log or the new one.
 */
async function compact(dir: string, path: string, entries: Map<string, LedgerEntry>): Promise<void> {
  const temp = `${path}.compact`;
  const file = await open(temp, 'w');
  try {
    let chunk = '';
    for (const entry of entries.values()) {
      chunk += encodeLine(entry);
      if (chunk.length > 1 << 20) {
        await file.write(chunk);
        chunk = '';
      }
    }
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
