import { createHash } from 'node:crypto';
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
import type { Database, RootDatabase } from 'lmdb';
import { DeliveryStoreError } from '../errors.js';

/** Options of `LmdbDeliveryStore.open`. */
export interface LmdbDeliveryStoreOptions {
  /** Opens an existing store without writing (`koppel plan`); a missing store reads as empty. */
  readOnly?: boolean;
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

/**
 * The embedded delivery store: one LMDB environment in `<stateDir>/delivery/` (memory-mapped
 * B+tree, copy-on-write, crash-safe; several processes may read and write it at once). Records
 * live under `[scope id, key]` in LMDB's ordered encoding, so a scope is one key range; the
 * `scopes` database maps each id back to its environment, connector and scope. Values are
 * msgpack with shared record structures (field names stored once), the hash as 32 bytes.
 */
export class LmdbDeliveryStore implements DeliveryStore {
  readonly path: string;
  readonly #root: RootDatabase | undefined;
  readonly #records: Database<StoredRecord, StoreKey> | undefined;
  readonly #scopes: Database<DeliveryScope, string> | undefined;
  readonly #known = new Set<string>();
  readonly #readOnly: boolean;
  #closed = false;

  private constructor(path: string, root?: RootDatabase, readOnly = true) {
    this.path = path;
    this.#root = root;
    this.#readOnly = readOnly;
    this.#records = root?.openDB<StoredRecord, StoreKey>({
      name: 'records',
      encoding: 'msgpack',
      sharedStructuresKey: Symbol.for('structures'),
    });
    this.#scopes = root?.openDB<DeliveryScope, string>({ name: 'scopes', encoding: 'msgpack' });
  }

  /** Opens (creating unless read-only) the store of a state directory. */
  static async open(stateDir: string, options: LmdbDeliveryStoreOptions = {}): Promise<LmdbDeliveryStore> {
    const path = join(stateDir, 'delivery');
    if (options.readOnly && !existsSync(join(path, 'data.mdb'))) return new LmdbDeliveryStore(path);
    // Imported here, not at load: lmdb and msgpackr cost ~35 ms of start-up to commands that never open the store.
    const { open } = await import('lmdb');
    try {
      if (!options.readOnly) await mkdir(path, { recursive: true });
      const root = open({
        path: join(path, 'data.mdb'),
        maxDbs: 4,
        compression: false,
        // A put resolves once its transaction is on disk: the record is durable before the request.
        noSync: false,
        ...(options.readOnly ? { readOnly: true } : {}),
      });
      return new LmdbDeliveryStore(path, root, options.readOnly === true);
    } catch (error) {
      throw new DeliveryStoreError(
        `cannot open the delivery store ${path} (${(error as Error).message}); check the state directory (--state-dir, KOPPEL_STATE_DIR) is writable`,
        { cause: error },
      );
    }
  }

  async get(scope: DeliveryScope, keys: readonly string[]): Promise<(DeliveryRecord | undefined)[]> {
    const records = this.#records;
    if (!records) return keys.map(() => undefined);
    this.#open();
    const id = scopeId(scope);
    const values = keys.map((key) => records.get([id, key]));
    return values.map((value, i) => (value === undefined ? undefined : fromStored(keys[i] as string, value)));
  }

  async put(scope: DeliveryScope, records: readonly DeliveryRecord[]): Promise<void> {
    const { root, db, scopes } = this.#writable();
    if (records.length === 0) return;
    const id = scopeId(scope);
    try {
      await root.transaction(() => {
        if (!this.#known.has(id)) {
          void scopes.put(id, {
            environment: scope.environment,
            connector: scope.connector,
            scope: scope.scope,
          });
        }
        for (const record of records) void db.put([id, record.key], toStored(record));
      });
      this.#known.add(id);
    } catch (error) {
      throw new DeliveryStoreError(
        `cannot write the delivery store ${this.path} (${(error as Error).message}); check free disk space and permissions`,
        { cause: error },
      );
    }
  }

  async *forget(filter: ForgetFilter, options: { dryRun?: boolean } = {}): AsyncIterable<ForgottenRecord> {
    const records = this.#records;
    const scopes = this.#scopes;
    if (!records || !scopes) return;
    this.#open();
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
    for (const { key: id, value } of scopes.getRange()) {
      if (filter.environment !== undefined && value.environment !== filter.environment) continue;
      if (filter.connector !== undefined && value.connector !== filter.connector) continue;
      if (filter.scope !== undefined && value.scope !== filter.scope) continue;
      wanted.push([id, value]);
    }
    const keys = filter.keys ? [...new Set(filter.keys)] : undefined;
    for (const [id, scope] of wanted) {
      const ids: StoreKey[] = keys
        ? keys.map((key): StoreKey => [id, key])
        : [...records.getKeys({ start: [id], end: [id, MAX] })];
      for (let at = 0; at < ids.length; at += FORGET_CHUNK) {
        const chunk: ForgottenRecord[] = [];
        for (const storeKey of ids.slice(at, at + FORGET_CHUNK)) {
          const value = records.get(storeKey);
          if (value === undefined || !matches(value)) continue;
          chunk.push({ ...scope, ...fromStored(storeKey[1], value) });
        }
        if (!options.dryRun && chunk.length > 0) {
          await records.transaction(() => {
            for (const record of chunk) void records.remove([id, record.key]);
          });
        }
        yield* chunk;
      }
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#root?.close();
  }

  #open(): void {
    if (this.#closed) throw new DeliveryStoreError(`the delivery store ${this.path} is closed`);
  }

  #writable(): {
    root: RootDatabase;
    db: Database<StoredRecord, StoreKey>;
    scopes: Database<DeliveryScope, string>;
  } {
    this.#open();
    if (!this.#root || !this.#records || !this.#scopes || this.#readOnly)
      throw new DeliveryStoreError(`the delivery store ${this.path} was opened read-only`);
    return { root: this.#root, db: this.#records, scopes: this.#scopes };
  }
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
