import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DeliveryRecord, DeliveryScope, DeliveryStore, ForgetFilter } from '@koppel/core';
import { describe, expect, it } from 'vitest';
import { LmdbDeliveryStore, type LmdbDeliveryStoreOptions } from '../src/delivery/lmdb-delivery-store.js';
import {
  type DeliveryStoreHarness,
  deliveryRecord,
  deliveryStoreChecks,
  deliveryStoreConformance,
} from './delivery-conformance.js';

const require = createRequire(import.meta.url);
const TSX = pathToFileURL(require.resolve('tsx/esm')).href;
const CHILD = fileURLToPath(new URL('./delivery-writer-child.ts', import.meta.url));

/** The LMDB store in a fresh temp state directory per store. */
function lmdbHarness(options: LmdbDeliveryStoreOptions = {}): DeliveryStoreHarness {
  const dirs = new WeakMap<DeliveryStore, string>();
  return {
    name: 'lmdb',
    async open() {
      const dir = await mkdtemp(join(tmpdir(), 'koppel-delivery-'));
      const store = await LmdbDeliveryStore.open(dir, options);
      dirs.set(store, dir);
      return store;
    },
    async reopen(store) {
      const dir = dirs.get(store) as string;
      const reopened = await LmdbDeliveryStore.open(dir, options);
      dirs.set(reopened, dir);
      return reopened;
    },
    async otherProcess(store, scope, records) {
      const dir = dirs.get(store) as string;
      const file = join(dir, 'records.json');
      await writeFile(file, JSON.stringify(records));
      const child = spawn(
        process.execPath,
        ['--conditions=@koppel/source', '--import', TSX, CHILD, dir, JSON.stringify(scope), file],
        { stdio: ['ignore', 'ignore', 'pipe'], cwd: dirname(CHILD) },
      );
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      if (code !== 0) throw new Error(`writer process exited ${code}: ${stderr}`);
    },
    async destroy(store) {
      await store.close();
      const dir = dirs.get(store);
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

deliveryStoreConformance('LmdbDeliveryStore', lmdbHarness);
// A map budget of 0 reopens the environment after every operation (between a run's puts and gets).
deliveryStoreConformance('LmdbDeliveryStore, reopened after every operation', () =>
  lmdbHarness({ mapBudget: 0, mapCheckEvery: 1 }),
);

/** Wraps a real store, breaking one rule. */
function broken(name: string, wrap: (store: DeliveryStore) => DeliveryStore): DeliveryStoreHarness {
  const inner = lmdbHarness();
  const real = new WeakMap<DeliveryStore, DeliveryStore>();
  const wrapped = (store: DeliveryStore): DeliveryStore => {
    const outer = wrap(store);
    real.set(outer, store);
    return outer;
  };
  return {
    name,
    open: async () => wrapped(await inner.open()),
    reopen: async (store) => wrapped(await inner.reopen(real.get(store) as DeliveryStore)),
    destroy: (store) => inner.destroy(real.get(store) as DeliveryStore),
  };
}

const drops = (store: DeliveryStore): DeliveryStore => ({
  get: (scope, keys) => store.get(scope, keys),
  // Keeps only the first record of each put.
  put: (scope, records) => store.put(scope, records.slice(0, 1)),
  forget: (filter, options) => store.forget(filter, options),
  close: () => store.close(),
});
const scopeless = (store: DeliveryStore): DeliveryStore => {
  const one = (scope: DeliveryScope): DeliveryScope => ({ ...scope, scope: 'everything' });
  return {
    get: (scope, keys) => store.get(one(scope), keys),
    put: (scope, records) => store.put(one(scope), records),
    forget: (filter, options) => store.forget(filter, options),
    close: () => store.close(),
  };
};
const forgetsAll = (store: DeliveryStore): DeliveryStore => ({
  get: (scope, keys) => store.get(scope, keys),
  put: (scope, records) => store.put(scope, records),
  // Ignores every filter but the environment, and dryRun.
  forget: (filter: ForgetFilter) =>
    store.forget(filter.environment ? { environment: filter.environment } : {}),
  close: () => store.close(),
});
const lossy = (store: DeliveryStore): DeliveryStore => ({
  get: async (scope, keys) =>
    (await store.get(scope, keys)).map((record) => {
      if (!record) return record;
      const { settledAt: _dropped, ...rest } = record;
      return rest as DeliveryRecord;
    }),
  put: (scope, records) => store.put(scope, records),
  forget: (filter, options) => store.forget(filter, options),
  close: () => store.close(),
});

describe('the DeliveryStore conformance suite', () => {
  it.each([
    ['drops records of a put', drops],
    ['ignores the scope', scopeless],
    ['ignores forget filters and dryRun', forgetsAll],
    ['loses a field on the way back', lossy],
  ] as const)(
    'fails a store that %s',
    async (name, wrap) => {
      const harness = broken(name, wrap);
      const failed: string[] = [];
      for (const check of deliveryStoreChecks) {
        await check.run(harness).catch(() => failed.push(check.name));
      }
      expect(failed.length).toBeGreaterThan(0);
    },
    120_000,
  );

  it('passes the real store (the same loop, no failures)', async () => {
    const failed: string[] = [];
    for (const check of deliveryStoreChecks.slice(0, 6)) {
      await check.run(lmdbHarness()).catch((error: unknown) => failed.push(`${check.name}: ${error}`));
    }
    expect(failed).toEqual([]);
  });
});

describe('LmdbDeliveryStore', () => {
  it('read-only: a missing store reads as empty and refuses writes with a typed error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'koppel-delivery-ro-'));
    const store = await LmdbDeliveryStore.open(dir, { readOnly: true });
    const scope = { environment: 'e', connector: 'c', scope: 's' };
    expect(await store.get(scope, ['a'])).toEqual([undefined]);
    await expect(store.put(scope, [deliveryRecord('a')])).rejects.toMatchObject({
      code: 'KOPPEL_DELIVERY_STORE',
    });
    await store.close();
    const writer = await LmdbDeliveryStore.open(dir);
    await writer.put(scope, [deliveryRecord('a')]);
    const reader = await LmdbDeliveryStore.open(dir, { readOnly: true });
    expect((await reader.get(scope, ['a']))[0]?.key).toBe('a');
    await reader.close();
    await writer.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reopening under concurrent gets and puts (as a run with 8 requests in flight) loses no record', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'koppel-delivery-reopen-'));
    const store = await LmdbDeliveryStore.open(dir, { mapBudget: 0, mapCheckEvery: 1 });
    const scope = { environment: 'e', connector: 'FiEntries', scope: 's' };
    // 8 lanes, each: look the batch up, put it inflight, put it delivered (the pipeline's order).
    await Promise.all(
      Array.from({ length: 8 }, async (_, lane) => {
        for (let batch = 0; batch < 25; batch++) {
          const keys = Array.from({ length: 4 }, (_, i) => `K${lane}-${batch}-${i}`);
          expect(await store.get(scope, keys)).toEqual(keys.map(() => undefined));
          await store.put(
            scope,
            keys.map((key) => deliveryRecord(key, { state: 'inflight' })),
          );
          await store.put(
            scope,
            keys.map((key) => deliveryRecord(key)),
          );
        }
      }),
    );
    expect(store.reopens).toBeGreaterThan(10);
    const keys = Array.from(
      { length: 800 },
      (_, n) => `K${n % 8}-${Math.floor(n / 32)}-${Math.floor(n / 8) % 4}`,
    );
    const back = await store.get(scope, keys);
    expect(back.filter((record) => record?.state === 'delivered')).toHaveLength(800);
    await store.close();
    const again = await LmdbDeliveryStore.open(dir);
    expect((await again.get(scope, keys)).every((record) => record?.state === 'delivered')).toBe(true);
    await again.close();
    await rm(dir, { recursive: true, force: true });
  });
});
