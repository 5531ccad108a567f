import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  DeliveryRecord,
  DeliveryScope,
  DeliveryStore,
  ForgetFilter,
  ForgottenRecord,
} from '@koppel/core';
import type { Database, RootDatabase } from 'lmdb';
import { DeliveryStoreError } from '../errors.js';

/** Options of `LmdbDeliveryStore.open`. */
export interface LmdbDeliveryStoreOptions {
  /** Opens an existing store without writing (`koppel plan`); a missing store reads as empty. */
  readOnly?: boolean;
  /**
   * Bytes of file-backed memory the process may gain through the store's memory map before the
   * store closes and reopens its LMDB environment, which drops the mapped pages from the
   * process's RSS (they stay in the page cache); default 16 MiB. Measured from /proc/self/status;
   * where there is none, the store reopens every `mapBudget / 256` records instead.
   */
  mapBudget?: number;
  /** Records read or written between two looks at the process's file-backed memory; default 512. */
  mapCheckEvery?: number;
}

/** The stored value: a record without its key; the payload hash as its 32 bytes. */
type StoredRecord = Omit<DeliveryRecord, 'key' | 'payloadHash' | 'sentAt' | 'settledAt'> & {
  payloadHash: Uint8Array | string;
  sentAt: number | string;
  settledAt?: number | string;
};
/** `[scope id, record key]`: the scope id is a short hash of environment, connector and scope. */
type StoreKey = [scopeId: string, key: string];

/** Records forgotten per write transaction. */
const FORGET_CHUNK = 1024;
const DEFAULT_MAP_BUDGET = 16 * 1024 * 1024;
const DEFAULT_MAP_CHECK_EVERY = 512;

/** One open LMDB environment with its two databases. */
interface LmdbHandle {
  root: RootDatabase;
  records: Database<StoredRecord, StoreKey>;
  scopes: Database<DeliveryScope, string>;
}

/**
 * The embedded delivery store: one LMDB environment in `<stateDir>/delivery/` (memory-mapped
 * B+tree, copy-on-write, crash-safe; several processes may read and write it at once). Records
 * live under `[scope id, key]` in LMDB's ordered encoding, so a scope is one key range; the
 * `scopes` database maps each id back to its environment, connector and scope. Values are
 * msgpack with shared record structures (field names stored once), the hash as 32 bytes.
 *
 * Every page LMDB reads through its memory map stays in the process's RSS (as file-backed
 * memory) until the map goes away: a run that writes a million records would keep the ~140 MB
 * file resident. So the store watches the process's file-backed memory and, past `mapBudget`,
 * closes and reopens its environment between operations: writes in flight finish first (a put
 * still resolves only once durable), new operations wait the few milliseconds it takes.
 */
export class LmdbDeliveryStore implements DeliveryStore {
  readonly path: string;
  #lmdb: LmdbHandle | undefined;
  readonly #reopen: (() => LmdbHandle) | undefined;
  readonly #known = new Set<string>();
  readonly #readOnly: boolean;
  readonly #map: MapWatch;
  /** Write transactions not yet settled (a reopen waits for them). */
  readonly #writes = new Set<Promise<unknown>>();
  #reopening: Promise<void> | undefined;
  /** Times the environment was closed and reopened to release its mapped pages (for figures). */
  reopens = 0;
  #failure: DeliveryStoreError | undefined;
  #closed = false;

  private constructor(path: string, options: LmdbDeliveryStoreOptions, opener?: () => LmdbHandle) {
    this.path = path;
    this.#readOnly = opener === undefined || options.readOnly === true;
    this.#reopen = opener;
    this.#lmdb = opener?.();
    this.#map = new MapWatch(options);
  }

  /** Opens (creating unless read-only) the store of a state directory. */
  static async open(stateDir: string, options: LmdbDeliveryStoreOptions = {}): Promise<LmdbDeliveryStore> {
    const path = join(stateDir, 'delivery');
    for (const name of ['mapBudget', 'mapCheckEvery'] as const) {
      const value = options[name];
      if (value !== undefined && !(Number.isInteger(value) && value >= (name === 'mapBudget' ? 0 : 1)))
        throw new RangeError(
          `Expected \`${name}\` to be an integer >= ${name === 'mapBudget' ? 0 : 1}, got \`${value}\``,
        );
    }
    if (options.readOnly && !existsSync(join(path, 'data.mdb'))) return new LmdbDeliveryStore(path, options);
    // Imported here, not at load: lmdb and msgpackr cost ~35 ms of start-up to commands that never open the store.
    const { open } = await import('lmdb');
    const opener = (): LmdbHandle => {
      const root = open({
        path: join(path, 'data.mdb'),
        maxDbs: 4,
        compression: false,
        // A put resolves once its transaction is on disk: the record is durable before the request.
        noSync: false,
        ...(options.readOnly ? { readOnly: true } : {}),
      });
      return {
        root,
        records: root.openDB<StoredRecord, StoreKey>({
          name: 'records',
          encoding: 'msgpack',
          sharedStructuresKey: Symbol.for('structures'),
        }),
        scopes: root.openDB<DeliveryScope, string>({ name: 'scopes', encoding: 'msgpack' }),
      };
    };
    try {
      if (!options.readOnly) await mkdir(path, { recursive: true });
      return new LmdbDeliveryStore(path, options, opener);
    } catch (error) {
      throw new DeliveryStoreError(
        `cannot open the delivery store ${path} (${(error as Error).message}); check the state directory (--state-dir, KOPPEL_STATE_DIR) is writable`,
        { cause: error },
      );
    }
  }

  async get(scope: DeliveryScope, keys: readonly string[]): Promise<(DeliveryRecord | undefined)[]> {
    await this.#ready();
    if (!this.#lmdb) return keys.map(() => undefined);
    const { records } = this.#lmdb;
    const id = scopeId(scope);
    const values = keys.map((key) => records.get([id, key]));
    this.#touched(keys.length);
    return values.map((value, i) => (value === undefined ? undefined : fromStored(keys[i] as string, value)));
  }

  async put(scope: DeliveryScope, records: readonly DeliveryRecord[]): Promise<void> {
    await this.#ready();
    const { root, records: db, scopes } = this.#writable();
    if (records.length === 0) return;
    const id = scopeId(scope);
    try {
      await this.#write(
        root.transaction(() => {
          if (!this.#known.has(id)) {
            void scopes.put(id, {
              environment: scope.environment,
              connector: scope.connector,
              scope: scope.scope,
            });
          }
          for (const record of records) void db.put([id, record.key], toStored(record));
        }),
      );
      this.#known.add(id);
      this.#touched(records.length);
    } catch (error) {
      throw new DeliveryStoreError(
        `cannot write the delivery store ${this.path} (${(error as Error).message}); check free disk space and permissions`,
        { cause: error },
      );
    }
  }

  async *forget(filter: ForgetFilter, options: { dryRun?: boolean } = {}): AsyncIterable<ForgottenRecord> {
    await this.#ready();
    if (!this.#lmdb) return;
    if (!options.dryRun) this.#writable();
    const matches = (value: StoredRecord): boolean => {
      const sentAt = isoOf(value.sentAt);
      return (
        (filter.before === undefined || sentAt < filter.before) &&
        (filter.since === undefined || sentAt >= filter.since)
      );
    };
    // The scopes the filter names (a snapshot: never a write inside a read).
    const wanted: [string, DeliveryScope][] = [];
    for (const { key: id, value } of this.#lmdb.scopes.getRange()) {
      if (filter.environment !== undefined && value.environment !== filter.environment) continue;
      if (filter.connector !== undefined && value.connector !== filter.connector) continue;
      if (filter.scope !== undefined && value.scope !== filter.scope) continue;
      wanted.push([id, value]);
    }
    const keys = filter.keys ? [...new Set(filter.keys)] : undefined;
    for (const [id, scope] of wanted) {
      // A reopen may come between two awaits: each step takes the environment open at that moment.
      await this.#ready();
      const ids: StoreKey[] = keys
        ? keys.map((key): StoreKey => [id, key])
        : [...this.#handle().records.getKeys({ start: [id], end: [id, MAX] })];
      for (let at = 0; at < ids.length; at += FORGET_CHUNK) {
        await this.#ready();
        const { records } = this.#handle();
        const chunk: ForgottenRecord[] = [];
        for (const storeKey of ids.slice(at, at + FORGET_CHUNK)) {
          const value = records.get(storeKey);
          if (value === undefined || !matches(value)) continue;
          chunk.push({ ...scope, ...fromStored(storeKey[1], value) });
        }
        if (!options.dryRun && chunk.length > 0) {
          await this.#write(
            records.transaction(() => {
              for (const record of chunk) void records.remove([id, record.key]);
            }),
          );
        }
        this.#touched(chunk.length);
        yield* chunk;
      }
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#reopening;
    await Promise.allSettled([...this.#writes]);
    await this.#lmdb?.root.close();
  }

  /** Waits for a reopen in progress; throws when the store is closed or a reopen failed. */
  async #ready(): Promise<void> {
    while (this.#reopening) await this.#reopening;
    if (this.#failure) throw this.#failure;
    if (this.#closed) throw new DeliveryStoreError(`the delivery store ${this.path} is closed`);
  }

  #handle(): LmdbHandle {
    if (!this.#lmdb) throw new DeliveryStoreError(`the delivery store ${this.path} is not open`);
    return this.#lmdb;
  }

  #writable(): LmdbHandle {
    if (!this.#lmdb || this.#readOnly)
      throw new DeliveryStoreError(`the delivery store ${this.path} was opened read-only`);
    return this.#lmdb;
  }

  /** Tracks a write transaction until it settles (a reopen and close wait for it). */
  async #write<T>(transaction: Promise<T>): Promise<T> {
    this.#writes.add(transaction);
    try {
      return await transaction;
    } finally {
      this.#writes.delete(transaction);
    }
  }

  /** Counts records read or written; past the map budget, starts a reopen. */
  #touched(count: number): void {
    if (!this.#map.over(count) || this.#reopening || this.#closed || !this.#reopen) return;
    const reopen = this.#reopen;
    this.#reopening = (async () => {
      try {
        await Promise.allSettled([...this.#writes]);
        await this.#lmdb?.root.close();
        this.#lmdb = reopen();
        this.#map.reset();
        this.reopens++;
      } catch (error) {
        this.#failure = new DeliveryStoreError(
          `cannot reopen the delivery store ${this.path} (${(error as Error).message}); check the state directory is still there and readable`,
          { cause: error },
        );
      } finally {
        this.#reopening = undefined;
      }
    })();
  }
}

/**
 * Watches the file-backed memory of this process (RssFile + RssShmem in /proc/self/status: pages
 * of mapped files, the store's map among them) against a budget, looking every `mapCheckEvery` records;
 * without /proc it counts records instead (`mapBudget / 256` between reopens).
 */
class MapWatch {
  readonly #budget: number;
  readonly #every: number;
  readonly #proc: boolean;
  #count = 0;
  #sinceReset = 0;
  #base: number;

  constructor(options: LmdbDeliveryStoreOptions) {
    this.#budget = options.mapBudget ?? DEFAULT_MAP_BUDGET;
    this.#every = options.mapCheckEvery ?? DEFAULT_MAP_CHECK_EVERY;
    const now = fileBackedBytes();
    this.#proc = now !== undefined;
    this.#base = now ?? 0;
  }

  /** Counts `records` more; true when the map grew by the budget (or more) since the last reset. */
  over(records: number): boolean {
    this.#count += records;
    this.#sinceReset += records;
    if (this.#count < this.#every) return false;
    this.#count = 0;
    if (!this.#proc) return this.#sinceReset * 256 >= this.#budget;
    return (fileBackedBytes() ?? 0) - this.#base >= this.#budget;
  }

  /** After a reopen: what is mapped now is the new base. */
  reset(): void {
    this.#count = 0;
    this.#sinceReset = 0;
    this.#base = fileBackedBytes() ?? 0;
  }
}

/** Resident file-backed and shared bytes of this process (RssFile + RssShmem); undefined without /proc. */
function fileBackedBytes(): number | undefined {
  let status: string;
  try {
    status = readFileSync('/proc/self/status', 'latin1');
  } catch {
    return undefined;
  }
  const kb = (name: string): number =>
    Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  const bytes = (kb('RssFile') + kb('RssShmem')) * 1024;
  return Number.isFinite(bytes) ? bytes : undefined;
}

/** The id of a scope: 16 hex digits of the sha256 of its three parts. */
function scopeId(scope: DeliveryScope): string {
  return createHash('sha256')
    .update(JSON.stringify([scope.environment, scope.connector, scope.scope]))
    .digest('hex')
    .slice(0, 16);
}

function toStored(record: DeliveryRecord): StoredRecord {
  const { key: _key, payloadHash, ...rest } = record;
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(rest)) if (member !== undefined) out[name] = member;
  // A hash that is 64 hex digits is kept as its 32 bytes, a canonical ISO time as its epoch
  // milliseconds; anything else as written (so every record reads back exactly).
  out.payloadHash = /^[0-9a-f]{64}$/.test(payloadHash) ? Buffer.from(payloadHash, 'hex') : payloadHash;
  for (const name of ['sentAt', 'settledAt'] as const) {
    const text = rest[name];
    if (text === undefined) continue;
    const ms = Date.parse(text);
    if (!Number.isNaN(ms) && new Date(ms).toISOString() === text) out[name] = ms;
  }
  return out as unknown as StoredRecord;
}

function fromStored(key: string, value: StoredRecord): DeliveryRecord {
  const { payloadHash, sentAt, settledAt, ...rest } = value;
  const hash = typeof payloadHash === 'string' ? payloadHash : Buffer.from(payloadHash).toString('hex');
  return {
    key,
    ...rest,
    payloadHash: hash,
    sentAt: isoOf(sentAt),
    ...(settledAt === undefined ? {} : { settledAt: isoOf(settledAt) }),
  } as DeliveryRecord;
}

const isoOf = (value: string | number): string =>
  typeof value === 'number' ? new Date(value).toISOString() : value;

/** Sorts after every string in LMDB's ordered key encoding (a range end for a prefix). */
const MAX = '\uffff';
