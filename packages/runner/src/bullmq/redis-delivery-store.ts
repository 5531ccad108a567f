import { createHash } from 'node:crypto';
import type {
  DeliveryRecord,
  DeliveryScope,
  DeliveryStore,
  ForgetFilter,
  ForgottenRecord,
} from '@koppel/core';
import type { Redis } from 'ioredis';
import { DeliveryStoreError } from './errors.js';
import type { KoppelKeys } from './keys.js';

// KEYS[1] records hash, KEYS[2] scope string (one hash tag: one Cluster slot); ARGV[1] the scope's
// JSON, then key/record pairs. Every record of one put lands, or none.
const PUT = `
redis.call('SET', KEYS[2], ARGV[1])
for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return (#ARGV - 1) / 2
`;

// KEYS[1] records hash; ARGV key/value pairs: a key is removed only while it still holds the
// record that was matched (a put that replaced it meanwhile wins). Returns 1/0 per pair.
const FORGET = `
local removed = {}
for i = 1, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then
    redis.call('HDEL', KEYS[1], ARGV[i])
    removed[#removed + 1] = 1
  else
    removed[#removed + 1] = 0
  end
end
return removed
`;

type PutCommand = (records: string, scope: string, ...args: string[]) => Promise<number>;
type ForgetCommand = (records: string, ...args: string[]) => Promise<number[]>;

const PAGE = 500;

/** The id of an environment + connector + scope: part of its keys (and their hash tag). */
export function deliveryScopeId(scope: DeliveryScope): string {
  return createHash('sha256')
    .update(JSON.stringify([scope.environment, scope.connector, scope.scope]))
    .digest('hex')
    .slice(0, 24);
}

const STATES = new Set(['inflight', 'delivered', 'uncertain']);

/**
 * The DeliveryStore of a BullMQ deployment, in Redis under its prefix: per environment +
 * UpdateConnector + scope a hash of record key -> record (state, payload hash, sentAt, run, AFAS's
 * keys) beside a string naming the scope, both under one hash tag (`{id}`), written by one script
 * per `put` (all or nothing); a set lists the scopes for `forget`. Every worker and every
 * `koppel submit` of the deployment shares it, so no run on it sends a delivered key again.
 * Durable as far as Redis persistence is (`appendfsync always` for no loss on a host crash).
 */
export class RedisDeliveryStore implements DeliveryStore {
  readonly #redis: Redis;
  readonly #keys: KoppelKeys;
  readonly #registered = new Set<string>();

  /** `redis` belongs to the caller (closing the store leaves it open). */
  constructor(redis: Redis, keys: KoppelKeys) {
    this.#redis = redis;
    this.#keys = keys;
    const commands = redis as unknown as { koppelDeliveryPut?: unknown; koppelDeliveryForget?: unknown };
    if (!commands.koppelDeliveryPut) redis.defineCommand('koppelDeliveryPut', { numberOfKeys: 2, lua: PUT });
    if (!commands.koppelDeliveryForget)
      redis.defineCommand('koppelDeliveryForget', { numberOfKeys: 1, lua: FORGET });
  }

  async get(scope: DeliveryScope, keys: readonly string[]): Promise<(DeliveryRecord | undefined)[]> {
    if (keys.length === 0) return [];
    const { records } = this.#keys.delivery(deliveryScopeId(scope));
    const out: (DeliveryRecord | undefined)[] = [];
    for (let start = 0; start < keys.length; start += PAGE) {
      const page = keys.slice(start, start + PAGE);
      const values = await this.#redis.hmget(records, ...page);
      values.forEach((value, i) => {
        out.push(
          value === null ? undefined : decode(value, { key: page[i] as string, scope, hash: records }),
        );
      });
    }
    return out;
  }

  async put(scope: DeliveryScope, records: readonly DeliveryRecord[]): Promise<void> {
    if (records.length === 0) return;
    const id = deliveryScopeId(scope);
    // Listed before the first record lands, so `forget` always finds a scope that has records.
    if (!this.#registered.has(id)) {
      await this.#redis.sadd(this.#keys.deliveryScopes(), id);
      this.#registered.add(id);
    }
    const keys = this.#keys.delivery(id);
    const args = [JSON.stringify(scopeOf(scope))];
    for (const record of records) args.push(record.key, JSON.stringify(record));
    const put = (this.#redis as unknown as { koppelDeliveryPut: PutCommand }).koppelDeliveryPut;
    await put.call(this.#redis, keys.records, keys.scope, ...args);
  }

  async *forget(filter: ForgetFilter, options: { dryRun?: boolean } = {}): AsyncIterable<ForgottenRecord> {
    const before = filter.before === undefined ? undefined : Date.parse(filter.before);
    const since = filter.since === undefined ? undefined : Date.parse(filter.since);
    const matches = (record: DeliveryRecord): boolean => {
      const sent = Date.parse(record.sentAt);
      return (before === undefined || sent < before) && (since === undefined || sent >= since);
    };
    let cursor = '0';
    do {
      const [next, ids] = await this.#redis.sscan(this.#keys.deliveryScopes(), cursor, 'COUNT', PAGE);
      cursor = next;
      for (const id of ids) {
        const keys = this.#keys.delivery(id);
        const text = await this.#redis.get(keys.scope);
        if (text === null) continue;
        const scope = JSON.parse(text) as DeliveryScope;
        if (filter.environment !== undefined && scope.environment !== filter.environment) continue;
        if (filter.connector !== undefined && scope.connector !== filter.connector) continue;
        if (filter.scope !== undefined && scope.scope !== filter.scope) continue;
        for await (const page of this.#pages(keys.records, filter.keys)) {
          const found = page.flatMap(([key, value]) => {
            const record = decode(value, { key, scope, hash: keys.records });
            return matches(record) ? [{ key, value, record }] : [];
          });
          if (found.length === 0) continue;
          let removed: number[] = found.map(() => 1);
          if (!options.dryRun) {
            const forget = (this.#redis as unknown as { koppelDeliveryForget: ForgetCommand })
              .koppelDeliveryForget;
            removed = await forget.call(
              this.#redis,
              keys.records,
              ...found.flatMap(({ key, value }) => [key, value]),
            );
          }
          for (const [i, { record }] of found.entries())
            if (removed[i] === 1) yield { ...scopeOf(scope), ...record };
        }
      }
    } while (cursor !== '0');
  }

  /** The connection belongs to the caller: nothing to release. Idempotent. */
  async close(): Promise<void> {}

  /** Key/value pairs of a records hash: the given keys (pages of HMGET), or all of it (HSCAN). */
  async *#pages(records: string, keys: readonly string[] | undefined): AsyncGenerator<[string, string][]> {
    if (keys) {
      for (let start = 0; start < keys.length; start += PAGE) {
        const page = keys.slice(start, start + PAGE);
        const values = await this.#redis.hmget(records, ...page);
        yield page.flatMap((key, i) => {
          const value = values[i];
          return value === null || value === undefined ? [] : [[key, value] as [string, string]];
        });
      }
      return;
    }
    let cursor = '0';
    do {
      const [next, flat] = await this.#redis.hscan(records, cursor, 'COUNT', PAGE);
      cursor = next;
      const pairs: [string, string][] = [];
      for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i] as string, flat[i + 1] as string]);
      yield pairs;
    } while (cursor !== '0');
  }
}

const scopeOf = (scope: DeliveryScope): DeliveryScope => ({
  environment: scope.environment,
  connector: scope.connector,
  scope: scope.scope,
});

/** A delivery record read from field `key` of Redis hash `hash` (of `scope`); a damaged one throws. */
function decode(
  value: string,
  { key, scope, hash }: { key: string; scope: DeliveryScope; hash: string },
): DeliveryRecord {
  let record: DeliveryRecord | undefined;
  try {
    record = JSON.parse(value) as DeliveryRecord;
  } catch {
    record = undefined;
  }
  if (
    !record ||
    typeof record !== 'object' ||
    record.key !== key ||
    !STATES.has(record.state) ||
    typeof record.payloadHash !== 'string' ||
    typeof record.sentAt !== 'string' ||
    typeof record.runId !== 'string'
  ) {
    throw new DeliveryStoreError(
      `The delivery record of key \`${key}\` (${scope.connector}, scope ${scope.scope}, ${scope.environment}) in Redis (\`HGET ${hash} ${key}\`) is damaged: check the key in Profit, then delete that field so the next run decides again`,
    );
  }
  return record;
}
