import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  DeliveryRecord,
  DeliveryScope,
  DeliveryStore,
  ForgetFilter,
  ForgottenRecord,
} from '@koppel/core';
import { open, type RootDatabase } from 'lmdb';
import { DeliveryStoreError } from '../errors.js';

/** Options of `LmdbDeliveryStore.open`. */
export interface LmdbDeliveryStoreOptions {
  /** Opens an existing store without writing (`koppel plan`); a missing store reads as empty. */
  readOnly?: boolean;
}

/** The stored value: a record without its key (the key is part of the LMDB key). */
type StoredRecord = Omit<DeliveryRecord, 'key'>;
type StoreKey = [environment: string, connector: string, scope: string, key: string];

/** Records forgotten per write transaction. */
const FORGET_CHUNK = 1024;

/**
 * The embedded delivery store: one LMDB environment in `<stateDir>/delivery/` (memory-mapped
 * B+tree, copy-on-write, crash-safe; several processes may read and write it at once). Keys are
 * `[environment, connector, scope, key]` in LMDB's ordered encoding, so a scope is one key range.
 */
export class LmdbDeliveryStore implements DeliveryStore {
  readonly path: string;
  readonly #db: RootDatabase<StoredRecord, StoreKey> | undefined;
  #closed = false;

  private constructor(path: string, db: RootDatabase<StoredRecord, StoreKey> | undefined) {
    this.path = path;
    this.#db = db;
  }

  /** Opens (creating unless read-only) the store of a state directory. */
  static async open(stateDir: string, options: LmdbDeliveryStoreOptions = {}): Promise<LmdbDeliveryStore> {
    const path = join(stateDir, 'delivery');
    if (options.readOnly && !existsSync(join(path, 'data.mdb')))
      return new LmdbDeliveryStore(path, undefined);
    try {
      if (!options.readOnly) await mkdir(path, { recursive: true });
      const db = open<StoredRecord, StoreKey>({
        path: join(path, 'data.mdb'),
        encoding: 'msgpack',
        compression: false,
        // A put resolves once its transaction is on disk: the record is durable before the request.
        noSync: false,
        ...(options.readOnly ? { readOnly: true } : {}),
      });
      return new LmdbDeliveryStore(path, db);
    } catch (error) {
      throw new DeliveryStoreError(
        `cannot open the delivery store ${path} (${(error as Error).message}); check the state directory (--state-dir, KOPPEL_STATE_DIR) is writable`,
        { cause: error },
      );
    }
  }

  async get(scope: DeliveryScope, keys: readonly string[]): Promise<(DeliveryRecord | undefined)[]> {
    const db = this.#db;
    if (!db) return keys.map(() => undefined);
    this.#open();
    const ids = keys.map((key) => storeKey(scope, key));
    const values = ids.length > 16 ? await db.getMany(ids) : ids.map((id) => db.get(id));
    return values.map((value, i) => (value === undefined ? undefined : { key: keys[i] as string, ...value }));
  }

  async put(scope: DeliveryScope, records: readonly DeliveryRecord[]): Promise<void> {
    const db = this.#writable();
    if (records.length === 0) return;
    try {
      await db.transaction(() => {
        for (const { key, ...value } of records) void db.put(storeKey(scope, key), clean(value));
      });
    } catch (error) {
      throw new DeliveryStoreError(
        `cannot write the delivery store ${this.path} (${(error as Error).message}); check free disk space and permissions`,
        { cause: error },
      );
    }
  }

  async *forget(filter: ForgetFilter, options: { dryRun?: boolean } = {}): AsyncIterable<ForgottenRecord> {
    const db = options.dryRun ? this.#db : this.#writable();
    if (!db) return;
    this.#open();
    const matches = (value: StoredRecord): boolean =>
      (filter.before === undefined || value.sentAt < filter.before) &&
      (filter.since === undefined || value.sentAt >= filter.since);
    const found = (id: StoreKey, value: StoredRecord): ForgottenRecord => ({
      environment: id[0],
      connector: id[1],
      scope: id[2],
      key: id[3],
      ...value,
    });
    let chunk: ForgottenRecord[] = [];
    const flush = async (): Promise<ForgottenRecord[]> => {
      const done = chunk;
      chunk = [];
      if (!options.dryRun && done.length > 0) {
        await db.transaction(() => {
          for (const record of done)
            void db.remove([record.environment, record.connector, record.scope, record.key]);
        });
      }
      return done;
    };
    const { environment, connector, scope, keys } = filter;
    if (keys && environment !== undefined && connector !== undefined && scope !== undefined) {
      // Every part of the id is known: direct lookups.
      for (const key of new Set(keys)) {
        const id = storeKey({ environment, connector, scope }, key);
        const value = db.get(id);
        if (value !== undefined && matches(value)) chunk.push(found(id, value));
        if (chunk.length >= FORGET_CHUNK) yield* await flush();
      }
      yield* await flush();
      return;
    }
    const wanted = keys ? new Set(keys) : undefined;
    // The longest known prefix of the id bounds the scan.
    const prefix: string[] = [];
    for (const part of [environment, connector, scope]) {
      if (part === undefined) break;
      prefix.push(part);
    }
    const range =
      prefix.length > 0
        ? { start: prefix as unknown as StoreKey, end: [...prefix, MAX] as unknown as StoreKey }
        : {};
    // A snapshot of the matching ids first, then removal in chunks: never a write inside a read.
    const ids: StoreKey[] = [];
    for (const { key: id, value } of db.getRange(range)) {
      if (environment !== undefined && id[0] !== environment) continue;
      if (connector !== undefined && id[1] !== connector) continue;
      if (scope !== undefined && id[2] !== scope) continue;
      if (wanted && !wanted.has(id[3])) continue;
      if (matches(value)) ids.push(id);
    }
    for (const id of ids) {
      const value = db.get(id);
      if (value === undefined || !matches(value)) continue;
      chunk.push(found(id, value));
      if (chunk.length >= FORGET_CHUNK) yield* await flush();
    }
    yield* await flush();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#db?.close();
  }

  #open(): void {
    if (this.#closed) throw new DeliveryStoreError(`the delivery store ${this.path} is closed`);
  }

  #writable(): RootDatabase<StoredRecord, StoreKey> {
    this.#open();
    if (!this.#db) throw new DeliveryStoreError(`the delivery store ${this.path} was opened read-only`);
    return this.#db;
  }
}

/** Sorts after every string in LMDB's ordered key encoding (a range end for a prefix). */
const MAX = '\uffff';

function storeKey(scope: DeliveryScope, key: string): StoreKey {
  return [scope.environment, scope.connector, scope.scope, key];
}

/** Leaves out undefined members, so a record reads back exactly as it was written. */
function clean(value: StoredRecord): StoredRecord {
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(value)) if (member !== undefined) out[name] = member;
  return out as unknown as StoredRecord;
}
