import type { Ledger, LedgerEntry, RecordState } from '@koppel/core';
import type { Redis } from 'ioredis';
import { decodeJson, encodeJson } from '../ledger-log.js';
import { LedgerFenceError } from './errors.js';
import type { KoppelKeys } from './keys.js';

/** Counts of a ledger per state; `inflight` apart (a request is out, or a worker died during one). */
export type RedisLedgerCounts = Record<RecordState, number>;

// Values are `<state>\t<entry JSON>` so the script reads a state without decoding JSON.
// One script call per write: every entry of it lands, or (fence broken, `done` record) none.
const WRITE = `
local fence = ARGV[1]
local n = (#ARGV - 1) / 3
for i = 0, n - 1 do
  local key, state = ARGV[2 + i * 3], ARGV[4 + i * 3]
  if state == 'inflight' then
    if fence ~= '' and redis.call('GET', KEYS[3]) ~= fence then return {1, key} end
    local cur = redis.call('HGET', KEYS[1], key)
    if cur and string.match(cur, '^(%a+)') == 'done' then return {2, key} end
  end
end
for i = 0, n - 1 do
  local key, value, state = ARGV[2 + i * 3], ARGV[3 + i * 3], ARGV[4 + i * 3]
  local cur = redis.call('HGET', KEYS[1], key)
  local old = cur and string.match(cur, '^(%a+)')
  if old ~= state then
    if old then redis.call('HINCRBY', KEYS[2], old, -1) end
    redis.call('HINCRBY', KEYS[2], state, 1)
  end
  redis.call('HSET', KEYS[1], key, value)
end
return {0, ''}
`;

type WriteCommand = (
  ledger: string,
  counts: string,
  lock: string,
  ...args: string[]
) => Promise<[number, string]>;

// Compare-and-set of entries that were `inflight` when read: KEYS[1] ledger, KEYS[2] counts;
// ARGV key/old/new triples. An entry changed meanwhile is left alone. Returns how many changed.
const RECOVER = `
local n = 0
for i = 1, #ARGV, 3 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 2])
    n = n + 1
  end
end
if n > 0 then
  redis.call('HINCRBY', KEYS[2], 'inflight', -n)
  redis.call('HINCRBY', KEYS[2], 'uncertain', n)
end
return n
`;

const CRASHED = 'the run ended while the request was in flight';

/** Values are `<state>\t<entry>`, the entry in the file ledger's JSON (exact JSON numbers kept). */
const encode = (entry: LedgerEntry): string => `${entry.state}\t${encodeJson(entry)}`;
const decode = (value: string): LedgerEntry => decodeJson<LedgerEntry>(value.slice(value.indexOf('\t') + 1));
const stateOf = (value: string): string => value.slice(0, value.indexOf('\t'));

/**
 * The ledger of one run in Redis, shared by every worker: a hash of entries plus a hash of counts
 * per state, both changed by one Lua script per write, so a write is atomic and the counts always
 * agree with the entries. An `inflight` write is refused over a `done` record, and, for a fenced
 * view (one chunk execution), when the chunk's BullMQ lock is no longer the worker's: a worker that
 * lost its chunk to another can never send again. Durable as far as Redis persistence is
 * (use `appendfsync always` for no loss on a host crash).
 */
export class RedisLedger implements Ledger {
  readonly runId: string;
  readonly #redis: Redis;
  readonly #keys: KoppelKeys;
  /** Set only by `fenced`, on the new view, before it is handed out. */
  #fence: { lockKey: string; token: string } | undefined;

  constructor(redis: Redis, keys: KoppelKeys, runId: string) {
    this.#redis = redis;
    this.#keys = keys;
    this.runId = runId;
    const commands = redis as unknown as { koppelLedgerWrite?: WriteCommand };
    if (!commands.koppelLedgerWrite)
      redis.defineCommand('koppelLedgerWrite', { numberOfKeys: 3, lua: WRITE });
    if (!(redis as unknown as { koppelLedgerRecover?: unknown }).koppelLedgerRecover)
      redis.defineCommand('koppelLedgerRecover', { numberOfKeys: 2, lua: RECOVER });
  }

  /** A view whose `inflight` writes hold only while `lockKey` (a BullMQ job lock) equals `token`. */
  fenced(lockKey: string, token: string): RedisLedger {
    const view = new RedisLedger(this.#redis, this.#keys, this.runId);
    view.#fence = { lockKey, token };
    return view;
  }

  async get(keys: readonly string[]): Promise<(LedgerEntry | undefined)[]> {
    if (keys.length === 0) return [];
    const values = await this.#redis.hmget(this.#keys.ledger(this.runId), ...keys);
    return values.map((value) => (value === null ? undefined : decode(value)));
  }

  async write(entries: readonly LedgerEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const args: string[] = [this.#fence?.token ?? ''];
    for (const entry of entries) args.push(entry.key, encode(entry), entry.state);
    const write = (this.#redis as unknown as { koppelLedgerWrite: WriteCommand }).koppelLedgerWrite;
    const [status, key] = await write.call(
      this.#redis,
      this.#keys.ledger(this.runId),
      this.#keys.counts(this.runId),
      this.#fence?.lockKey ?? this.#keys.ledger(this.runId),
      ...args,
    );
    if (status === 1) {
      throw new LedgerFenceError(
        `Record ${key} of run ${this.runId} was not sent: this worker lost its chunk (lock expired) and another worker owns it now`,
      );
    }
    if (status === 2) {
      throw new LedgerFenceError(
        `Record ${key} of run ${this.runId} was not sent: the ledger says it is done already`,
      );
    }
  }

  /**
   * Records where the input has them, as `koppel submit` saw it (`keys.order`). Several sessions
   * of a run read the same input, so a place written again is the same place.
   */
  async place(records: readonly { key: string; index: number }[]): Promise<void> {
    if (records.length === 0) return;
    await this.#redis.zadd(this.#keys.order(this.runId), ...records.flatMap((r) => [String(r.index), r.key]));
  }

  /**
   * Every entry: first in the input's order (`place`), 500 at a time, then, in hash order, any the
   * input never placed (a ledger filled by an executor without `koppel submit`).
   */
  async *entries(states?: readonly RecordState[]): AsyncIterable<LedgerEntry> {
    const wanted = states && new Set<string>(states);
    const keep = (value: string | null): value is string =>
      value !== null && (!wanted || wanted.has(stateOf(value)));
    const order = this.#keys.order(this.runId);
    const ledger = this.#keys.ledger(this.runId);
    for (let start = 0; ; start += 500) {
      const keys = await this.#redis.zrange(order, String(start), String(start + 499));
      if (keys.length === 0) break;
      for (const value of await this.#redis.hmget(ledger, ...keys)) if (keep(value)) yield decode(value);
    }
    const placed = (await this.#redis.zcard(order)) > 0;
    let cursor = '0';
    do {
      const [next, flat] = await this.#redis.hscan(ledger, cursor, 'COUNT', 500);
      cursor = next;
      const keys = flat.filter((_, i) => i % 2 === 0);
      const places = placed && keys.length > 0 ? await this.#redis.zmscore(order, ...keys) : [];
      for (let i = 1; i < flat.length; i += 2) {
        const value = flat[i] as string;
        if ((!placed || places[(i - 1) / 2] === null) && keep(value)) yield decode(value);
      }
    } while (cursor !== '0');
  }

  /**
   * After a crash or a finalised session, when no worker sends for the run any more: every
   * `inflight` entry (a request that was out) becomes `uncertain`, in one script. Returns how many.
   * Never call it while chunks of the run are being processed.
   */
  async recover(): Promise<number> {
    const recover = (
      this.#redis as unknown as {
        koppelLedgerRecover: (ledger: string, counts: string, ...args: string[]) => Promise<number>;
      }
    ).koppelLedgerRecover;
    const ledger = this.#keys.ledger(this.runId);
    const at = new Date().toISOString();
    let recovered = 0;
    let cursor = '0';
    do {
      const [next, flat] = await this.#redis.hscan(ledger, cursor, 'COUNT', 500);
      cursor = next;
      const args: string[] = [];
      for (let i = 0; i < flat.length; i += 2) {
        const value = flat[i + 1] as string;
        if (stateOf(value) !== 'inflight') continue;
        // Decoded and encoded by the ledger's own JSON, so exact numbers stay exact.
        const entry: LedgerEntry = { ...decode(value), state: 'uncertain', error: CRASHED, at };
        args.push(flat[i] as string, value, encode(entry));
      }
      if (args.length > 0)
        recovered += await recover.call(this.#redis, ledger, this.#keys.counts(this.runId), ...args);
    } while (cursor !== '0');
    return recovered;
  }

  /** Entries per state, read from the counts hash (O(1)). */
  async counts(): Promise<RedisLedgerCounts> {
    const raw = await this.#redis.hgetall(this.#keys.counts(this.runId));
    const n = (state: RecordState): number => Number(raw[state] ?? 0);
    return {
      pending: n('pending'),
      inflight: n('inflight'),
      done: n('done'),
      rejected: n('rejected'),
      uncertain: n('uncertain'),
    };
  }

  /** The connection belongs to the caller; nothing to release. Idempotent. */
  async close(): Promise<void> {}
}
