import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type {
  DeliveryRecord,
  DeliveryScope,
  DeliveryStore,
  ForgetFilter,
  ForgottenRecord,
} from '@koppel/core';
import { deliveryScopeId, KoppelKeys, openRedis, RedisDeliveryStore } from '@koppel/runner/bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DeliveryStoreHarness, deliveryStoreConformance } from '../delivery-conformance.js';
import { dropPrefix, freshPrefix, REDIS_URL } from './redis-env.js';

const require = createRequire(import.meta.url);
const TSX = pathToFileURL(require.resolve('tsx/esm')).href;
const CHILD = fileURLToPath(new URL('./redis-delivery-writer-child.ts', import.meta.url));

/** The Redis store on a fresh prefix per store; reopening is a new connection on the same prefix. */
function redisHarness(): DeliveryStoreHarness {
  const of = new WeakMap<DeliveryStore, { prefix: string; redis: ReturnType<typeof openRedis>[] }>();
  const openOn = (prefix: string, redis: ReturnType<typeof openRedis>[]): DeliveryStore => {
    const connection = openRedis(REDIS_URL);
    redis.push(connection);
    const store = new RedisDeliveryStore(connection, new KoppelKeys(prefix));
    of.set(store, { prefix, redis });
    return store;
  };
  return {
    name: 'redis',
    open: async () => openOn(freshPrefix(), []),
    async reopen(store) {
      const { prefix, redis } = of.get(store) as { prefix: string; redis: ReturnType<typeof openRedis>[] };
      return openOn(prefix, redis);
    },
    async otherProcess(store, scope, records) {
      const { prefix } = of.get(store) as { prefix: string };
      const dir = await mkdtemp(join(tmpdir(), 'koppel-redis-delivery-'));
      try {
        const file = join(dir, 'records.json');
        await writeFile(file, JSON.stringify(records));
        const child = spawn(
          process.execPath,
          [
            '--conditions=@koppel/source',
            '--import',
            TSX,
            CHILD,
            REDIS_URL,
            prefix,
            JSON.stringify(scope),
            file,
          ],
          { stdio: ['ignore', 'ignore', 'pipe'], cwd: dirname(CHILD) },
        );
        let stderr = '';
        child.stderr?.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
        if (code !== 0) throw new Error(`writer process exited ${code}: ${stderr}`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    async destroy(store) {
      await store.close();
      const found = of.get(store);
      if (!found) return;
      for (const connection of found.redis) connection.disconnect();
      await dropPrefix(found.prefix);
    },
  };
}

deliveryStoreConformance('RedisDeliveryStore', redisHarness);

const env = 'https://12345.rest.afas.online/profitrestservices#12345';
const fi: DeliveryScope = { environment: env, connector: 'FiEntries', scope: 'memoriaal' };
const record = (key: string, extra: Partial<DeliveryRecord> = {}): DeliveryRecord => ({
  key,
  state: 'delivered',
  payloadHash: 'a'.repeat(64),
  sentAt: '2026-12-01T10:00:00.000Z',
  settledAt: '2026-12-01T10:00:01.000Z',
  runId: 'run-1',
  result: { EnNo: key.replace(/\D/g, '') || '1' },
  ...extra,
});

async function drain(iterable: AsyncIterable<ForgottenRecord>): Promise<ForgottenRecord[]> {
  const out: ForgottenRecord[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('RedisDeliveryStore', () => {
  let prefix: string;
  let redis: ReturnType<typeof openRedis>;
  let store: RedisDeliveryStore;
  beforeEach(() => {
    prefix = freshPrefix();
    redis = openRedis(REDIS_URL);
    store = new RedisDeliveryStore(redis, new KoppelKeys(prefix));
  });
  afterEach(async () => {
    await store.close();
    redis.disconnect();
    await dropPrefix(prefix);
  });

  it('gets records in the order asked, undefined for a key never sent; a put replaces the record of its key', async () => {
    expect(await store.get(fi, ['1', '2'])).toEqual([undefined, undefined]);
    await store.put(fi, [record('1'), record('2', { state: 'inflight', settledAt: undefined })]);
    await store.put(fi, [record('2', { payloadHash: 'b'.repeat(64), runId: 'run-2' })]);
    const [one, missing, two] = await store.get(fi, ['1', '3', '2']);
    expect(one).toEqual(record('1'));
    expect(missing).toBeUndefined();
    expect(two).toEqual(record('2', { payloadHash: 'b'.repeat(64), runId: 'run-2' }));
    // A result value survives exactly (it is a string; no number parsing on the way).
    await store.put(fi, [record('4', { result: { Amount: '0.1000000000000000055511151231257827' } })]);
    expect((await store.get(fi, ['4']))[0]?.result?.Amount).toBe('0.1000000000000000055511151231257827');
    // 1200 keys: pages of HMGET keep the order.
    const many = Array.from({ length: 1200 }, (_, i) => record(`m${i}`));
    await store.put(fi, many);
    expect(
      (
        await store.get(
          fi,
          many.map((r) => r.key),
        )
      ).map((r) => r?.key),
    ).toEqual(many.map((r) => r.key));
  });

  it('keeps environments, connectors and scopes apart, every key under the prefix with a Cluster hash tag', async () => {
    const other = [
      { ...fi, environment: 'https://54321.rest.afas.online/profitrestservices#54321' },
      { ...fi, connector: 'KnPerson' },
      { ...fi, scope: 'other-job' },
    ];
    await store.put(fi, [record('1')]);
    for (const scope of other) expect(await store.get(scope, ['1'])).toEqual([undefined]);
    const keys = await redis.keys(`${prefix}:*`);
    const id = deliveryScopeId(fi);
    expect(keys.sort()).toEqual(
      [
        `${prefix}:k:delivery-scopes`,
        `${prefix}:k:delivery:{${id}}:records`,
        `${prefix}:k:delivery:{${id}}:scope`,
      ].sort(),
    );
    // A second store (another worker) sees the same records.
    const redis2 = openRedis(REDIS_URL);
    try {
      expect(await new RedisDeliveryStore(redis2, new KoppelKeys(prefix)).get(fi, ['1'])).toEqual([
        record('1'),
      ]);
      expect(await new RedisDeliveryStore(redis2, new KoppelKeys(`${prefix}-x`)).get(fi, ['1'])).toEqual([
        undefined,
      ]);
    } finally {
      redis2.disconnect();
    }
  });

  it('a put lands whole or not at all when its connection dies while it is being sent', async () => {
    await store.put(fi, [record('before')]);
    const torn = Array.from({ length: 400 }, (_, i) => record(`t${i}`, { runId: `r${'x'.repeat(20_000)}` }));
    const redis2 = openRedis(REDIS_URL);
    await redis2.ping();
    const putting = new RedisDeliveryStore(redis2, new KoppelKeys(prefix))
      .put(fi, torn)
      .catch(() => 'failed');
    // Let the scope registration go out, then cut the socket while the records are on their way.
    await new Promise((resolve) => setImmediate(resolve));
    redis2.stream.destroy();
    await putting;
    redis2.disconnect();
    const got = await store.get(
      fi,
      torn.map((r) => r.key),
    );
    const landed = got.filter((r) => r !== undefined).length;
    expect([0, torn.length]).toContain(landed);
    expect(await store.get(fi, ['before'])).toEqual([record('before')]);
  });

  it('forget removes what every condition of the filter matches, and dryRun only lists it', async () => {
    const km: DeliveryScope = { ...fi, connector: 'KnPerson', scope: 'persons' };
    const other: DeliveryScope = {
      ...fi,
      environment: 'https://999.rest.afas.online/profitrestservices#999',
    };
    await store.put(fi, [
      record('1', { sentAt: '2026-11-01T00:00:00.000Z' }),
      record('2', { sentAt: '2026-12-01T00:00:00.000Z' }),
      record('3', { sentAt: '2026-12-02T00:00:00.000Z', state: 'uncertain' }),
    ]);
    await store.put(km, [record('1')]);
    await store.put(other, [record('1')]);
    const keysOf = (list: ForgottenRecord[]) =>
      list.map((r) => `${r.connector}/${r.environment.slice(8, 11)}/${r.key}`).sort();

    const filter: ForgetFilter = {
      environment: env,
      connector: 'FiEntries',
      since: '2026-12-01T00:00:00.000Z',
    };
    const listed = await drain(store.forget(filter, { dryRun: true }));
    expect(keysOf(listed)).toEqual(['FiEntries/123/2', 'FiEntries/123/3']);
    expect(listed[0]).toMatchObject({ environment: env, connector: 'FiEntries', scope: 'memoriaal' });
    expect((await store.get(fi, ['2', '3'])).every((r) => r !== undefined)).toBe(true);

    expect(keysOf(await drain(store.forget({ ...filter, before: '2026-12-02T00:00:00.000Z' })))).toEqual([
      'FiEntries/123/2',
    ]);
    expect(await store.get(fi, ['1', '2', '3'])).toEqual([
      record('1', { sentAt: '2026-11-01T00:00:00.000Z' }),
      undefined,
      record('3', { sentAt: '2026-12-02T00:00:00.000Z', state: 'uncertain' }),
    ]);
    expect(keysOf(await drain(store.forget({ keys: ['1', 'missing'] })))).toEqual([
      'FiEntries/123/1',
      'FiEntries/999/1',
      'KnPerson/123/1',
    ]);
    expect(await drain(store.forget({ keys: ['1'] }))).toEqual([]);
    expect(keysOf(await drain(store.forget({ scope: 'memoriaal' })))).toEqual(['FiEntries/123/3']);
    // Forgotten keys are sent again: a new put after forget is read back.
    await store.put(fi, [record('1', { runId: 'run-9' })]);
    expect((await store.get(fi, ['1']))[0]?.runId).toBe('run-9');
  });

  it('concurrent puts of many writers all land', async () => {
    const connections = Array.from({ length: 4 }, () => openRedis(REDIS_URL));
    try {
      await Promise.all(
        connections.flatMap((connection, w) => {
          const writer = new RedisDeliveryStore(connection, new KoppelKeys(prefix));
          return Array.from({ length: 25 }, (_, i) =>
            writer
              .put(fi, [record(`w${w}-${i}`, { state: 'inflight' })])
              .then(() => writer.put(fi, [record(`w${w}-${i}`)])),
          );
        }),
      );
      const keys = connections.flatMap((_, w) => Array.from({ length: 25 }, (_, i) => `w${w}-${i}`));
      const got = await store.get(fi, keys);
      expect(got.every((r) => r?.state === 'delivered')).toBe(true);
      expect(await redis.hlen(new KoppelKeys(prefix).delivery(deliveryScopeId(fi)).records)).toBe(100);
    } finally {
      for (const connection of connections) connection.disconnect();
    }
  });

  it('refuses a damaged record with a typed error naming the key and what to do', async () => {
    await store.put(fi, [record('1')]);
    await redis.hset(new KoppelKeys(prefix).delivery(deliveryScopeId(fi)).records, '1', '{"key":"1"');
    await expect(store.get(fi, ['1'])).rejects.toMatchObject({
      code: 'KOPPEL_DELIVERY_STORE',
      message: expect.stringMatching(
        /key `1` \(FiEntries, scope memoriaal, .*\) .* is damaged: check the key in Profit/,
      ),
    });
  });
});
