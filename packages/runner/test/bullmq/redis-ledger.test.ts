import { KoppelKeys, LedgerFenceError, openRedis, RedisLedger } from '@koppel/runner/bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropPrefix, freshPrefix, REDIS_URL } from './redis-env.js';

describe('RedisLedger', () => {
  let prefix: string;
  let redis: ReturnType<typeof openRedis>;
  let keys: KoppelKeys;
  beforeEach(() => {
    prefix = freshPrefix();
    redis = openRedis(REDIS_URL);
    keys = new KoppelKeys(prefix);
  });
  afterEach(async () => {
    redis.disconnect();
    await dropPrefix(prefix);
  });

  it('stores entries and keeps counts per state in step with them', async () => {
    const ledger = new RedisLedger(redis, keys, 'run-1');
    await ledger.write([
      { key: 'a', state: 'inflight', attempts: 1 },
      { key: 'b', state: 'inflight', attempts: 1 },
    ]);
    await ledger.write([{ key: 'a', state: 'done', attempts: 1, result: { EnNo: '7' } }]);
    await ledger.write([{ key: 'b', state: 'rejected', attempts: 1, error: 'bad\taccount' }]);
    await ledger.write([{ key: 'b', state: 'rejected', attempts: 1, error: 'bad\taccount' }]);
    expect(await ledger.get(['a', 'b', 'c'])).toEqual([
      { key: 'a', state: 'done', attempts: 1, result: { EnNo: '7' } },
      { key: 'b', state: 'rejected', attempts: 1, error: 'bad\taccount' },
      undefined,
    ]);
    expect(await ledger.counts()).toEqual({ pending: 0, inflight: 0, done: 1, rejected: 1, uncertain: 0 });
    const all: string[] = [];
    for await (const entry of ledger.entries()) all.push(`${entry.key}=${entry.state}`);
    expect(all.sort()).toEqual(['a=done', 'b=rejected']);
  });

  it("streams entries in the input's order (places, over several pages), then any never placed", async () => {
    const ledger = new RedisLedger(redis, keys, 'run-1');
    const keysInInput = Array.from({ length: 1200 }, (_, i) => `k${String(1199 - i).padStart(4, '0')}`);
    await ledger.write([...keysInInput, 'extra'].map((key) => ({ key, state: 'done', attempts: 1 })));
    await ledger.place(keysInInput.map((key, index) => ({ key, index })).reverse());
    const order: string[] = [];
    for await (const entry of ledger.entries()) order.push(entry.key);
    expect(order).toEqual([...keysInInput, 'extra']);
  });

  it('refuses to mark a done record inflight again, and writes nothing of that call', async () => {
    const ledger = new RedisLedger(redis, keys, 'run-1');
    await ledger.write([{ key: 'a', state: 'done', attempts: 1 }]);
    await expect(
      ledger.write([
        { key: 'z', state: 'inflight', attempts: 1 },
        { key: 'a', state: 'inflight', attempts: 2 },
      ]),
    ).rejects.toThrow('Record a of run run-1 was not sent: the ledger says it is done already');
    expect(await ledger.get(['a', 'z'])).toEqual([{ key: 'a', state: 'done', attempts: 1 }, undefined]);
  });

  it('fences inflight writes with the chunk lock: a worker that lost its chunk cannot send', async () => {
    const lockKey = keys.jobLockOf('chunks', 'run-1-s1-c0');
    await redis.set(lockKey, 'token-A');
    const ledger = new RedisLedger(redis, keys, 'run-1');
    await ledger.fenced(lockKey, 'token-A').write([{ key: 'a', state: 'inflight', attempts: 1 }]);
    await redis.set(lockKey, 'token-B');
    const lost = ledger.fenced(lockKey, 'token-A').write([{ key: 'b', state: 'inflight', attempts: 1 }]);
    await expect(lost).rejects.toThrow(LedgerFenceError);
    await expect(lost).rejects.toThrow(
      'this worker lost its chunk (lock expired) and another worker owns it now',
    );
    // Settling what it already sent still lands.
    await ledger.fenced(lockKey, 'token-A').write([{ key: 'a', state: 'done', attempts: 1 }]);
    expect((await ledger.get(['a', 'b'])).map((entry) => entry?.state)).toEqual(['done', undefined]);
  });
});
