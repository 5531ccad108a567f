import type {
  DeliveryRecord,
  DeliveryScope,
  DeliveryStore,
  ForgetFilter,
  ForgottenRecord,
} from '@koppel/core';
import { describe, expect, it } from 'vitest';

/** How the suite drives one DeliveryStore implementation. */
export interface DeliveryStoreHarness {
  name: string;
  /** A fresh, empty store. */
  open(): Promise<DeliveryStore>;
  /** The same storage opened again after `store` was closed (a new process's view). */
  reopen(store: DeliveryStore): Promise<DeliveryStore>;
  /**
   * Writes `records` to the same storage from another OS process and resolves once it exited;
   * left out when the store has no multi-process mode.
   */
  otherProcess?(
    store: DeliveryStore,
    scope: DeliveryScope,
    records: readonly DeliveryRecord[],
  ): Promise<void>;
  /** Closes and deletes the storage. */
  destroy(store: DeliveryStore): Promise<void>;
}

/** One rule of the contract, runnable against a harness (and so against a broken implementation). */
export interface DeliveryStoreCheck {
  name: string;
  run(harness: DeliveryStoreHarness): Promise<void>;
}

const ENV_A = 'https://12345.rest.afas.online/profitrestservices#12345';
const ENV_B = 'https://67890.resttest.afas.online/profitrestservices#67890';
const fiA: DeliveryScope = { environment: ENV_A, connector: 'FiEntries', scope: 'memoriaal' };
const personsA: DeliveryScope = { environment: ENV_A, connector: 'KnPerson', scope: 'persons-sync' };
const fiB: DeliveryScope = { environment: ENV_B, connector: 'FiEntries', scope: 'memoriaal' };
const fiOther: DeliveryScope = { environment: ENV_A, connector: 'FiEntries', scope: 'inkoop' };

const hash = (n: number): string => n.toString(16).padStart(64, '0');

/** A delivered record sent at `2026-12-0<day>T10:00Z`. */
export function deliveryRecord(key: string, extra: Partial<DeliveryRecord> = {}, day = 1): DeliveryRecord {
  return {
    key,
    state: 'delivered',
    payloadHash: hash(key.length + day),
    sentAt: `2026-12-0${day}T10:00:00.000Z`,
    settledAt: `2026-12-0${day}T10:00:01.250Z`,
    runId: `run-${day}`,
    result: { EnNo: `${50000 + day}`, UnId: '1' },
    ...extra,
  };
}

async function drain(iterable: AsyncIterable<ForgottenRecord>): Promise<ForgottenRecord[]> {
  const out: ForgottenRecord[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

async function withStore(
  harness: DeliveryStoreHarness,
  body: (store: DeliveryStore, swap: (next: DeliveryStore) => void) => Promise<void>,
): Promise<void> {
  let store = await harness.open();
  try {
    await body(store, (next) => {
      store = next;
    });
  } finally {
    await harness.destroy(store);
  }
}

/** Seeds four scopes (two environments, two connectors, two scope names) over three days. */
async function seed(store: DeliveryStore): Promise<void> {
  await store.put(fiA, [
    deliveryRecord('E1', {}, 1),
    deliveryRecord('E2', {}, 2),
    deliveryRecord('E3', {}, 3),
  ]);
  await store.put(personsA, [deliveryRecord('P1', {}, 1), deliveryRecord('E1', {}, 2)]);
  await store.put(fiB, [deliveryRecord('E1', {}, 3)]);
  await store.put(fiOther, [deliveryRecord('E1', {}, 2)]);
}

const keysIn = async (store: DeliveryStore, scope: DeliveryScope, keys: string[]): Promise<string[]> =>
  (await store.get(scope, keys)).flatMap((record) => (record ? [record.key] : []));

/** Every rule of the DeliveryStore contract. */
export const deliveryStoreChecks: readonly DeliveryStoreCheck[] = [
  {
    name: 'get returns records in the order asked, undefined for a key never sent; put replaces a key',
    run: (harness) =>
      withStore(harness, async (store) => {
        expect(await store.get(fiA, ['E1'])).toEqual([undefined]);
        await store.put(fiA, [deliveryRecord('E1'), deliveryRecord('E2')]);
        const got = await store.get(fiA, ['E2', 'missing', 'E1']);
        expect(got.map((record) => record?.key)).toEqual(['E2', undefined, 'E1']);
        await store.put(fiA, [
          deliveryRecord('E1', { state: 'inflight', payloadHash: hash(99), runId: 'run-9' }),
        ]);
        const [replaced] = await store.get(fiA, ['E1']);
        expect(replaced?.state).toBe('inflight');
        expect(replaced?.payloadHash).toBe(hash(99));
        expect(replaced?.runId).toBe('run-9');
        expect(await store.get(fiA, [])).toEqual([]);
        await store.put(fiA, []);
      }),
  },
  {
    name: 'a record reads back exactly as written (every field, no field added, odd keys)',
    run: (harness) =>
      withStore(harness, async (store) => {
        const full = deliveryRecord('V-0001/ü 😀 "x"', {
          result: { EnNo: '00054605', UnId: '1', Ref: 'a:b' },
        });
        const { settledAt: _s, result: _r, ...bare } = deliveryRecord('2', { state: 'inflight' });
        const uncertain = deliveryRecord('', { state: 'uncertain' });
        await store.put(fiA, [full, bare, uncertain]);
        const [a, b, c] = await store.get(fiA, [full.key, bare.key, uncertain.key]);
        expect(a).toStrictEqual(full);
        expect(b).toStrictEqual(bare);
        expect(c).toStrictEqual(uncertain);
      }),
  },
  {
    name: 'records are kept per environment, connector and scope: the same key in another scope is another record',
    run: (harness) =>
      withStore(harness, async (store) => {
        await seed(store);
        expect((await store.get(fiA, ['E1']))[0]?.sentAt).toBe('2026-12-01T10:00:00.000Z');
        expect((await store.get(personsA, ['E1']))[0]?.sentAt).toBe('2026-12-02T10:00:00.000Z');
        expect((await store.get(fiB, ['E1']))[0]?.sentAt).toBe('2026-12-03T10:00:00.000Z');
        expect((await store.get(fiOther, ['E1']))[0]?.sentAt).toBe('2026-12-02T10:00:00.000Z');
        expect(await store.get({ ...fiA, scope: 'nobody' }, ['E1'])).toEqual([undefined]);
        expect(await store.get(fiB, ['E2'])).toEqual([undefined]);
      }),
  },
  {
    name: 'forget by environment, connector, scope and keys removes exactly the matching records and yields them with their scope',
    run: (harness) =>
      withStore(harness, async (store) => {
        await seed(store);
        const byEnv = await drain(store.forget({ environment: ENV_B }));
        expect(byEnv).toEqual([{ ...deliveryRecord('E1', {}, 3), ...fiB }]);
        expect(await keysIn(store, fiB, ['E1'])).toEqual([]);
        const byConnector = await drain(store.forget({ connector: 'KnPerson' }));
        expect(byConnector.map((r) => `${r.connector}/${r.key}`).sort()).toEqual([
          'KnPerson/E1',
          'KnPerson/P1',
        ]);
        expect(await keysIn(store, fiA, ['E1', 'E2', 'E3'])).toEqual(['E1', 'E2', 'E3']);
        const byKeys = await drain(store.forget({ ...fiA, keys: ['E2', 'nope'] }));
        expect(byKeys.map((r) => r.key)).toEqual(['E2']);
        expect(await keysIn(store, fiA, ['E1', 'E2', 'E3'])).toEqual(['E1', 'E3']);
        const byScope = await drain(store.forget({ scope: 'inkoop' }));
        expect(byScope.map((r) => `${r.scope}/${r.key}`)).toEqual(['inkoop/E1']);
        expect(await keysIn(store, fiA, ['E1', 'E3'])).toEqual(['E1', 'E3']);
        const keysOnly = await drain(store.forget({ keys: ['E3'] }));
        expect(keysOnly.map((r) => `${r.scope}/${r.key}`)).toEqual(['memoriaal/E3']);
        expect(await drain(store.forget({ environment: 'https://nowhere#1' }))).toEqual([]);
      }),
  },
  {
    name: 'forget by date: before is exclusive, since inclusive, combined with a scope',
    run: (harness) =>
      withStore(harness, async (store) => {
        await seed(store);
        const before: ForgetFilter = { before: '2026-12-02T10:00:00.000Z' };
        const old = await drain(store.forget(before));
        expect(old.map((r) => `${r.connector}/${r.key}`).sort()).toEqual(['FiEntries/E1', 'KnPerson/P1']);
        expect(await keysIn(store, fiA, ['E1', 'E2', 'E3'])).toEqual(['E2', 'E3']);
        const recent = await drain(store.forget({ ...fiA, since: '2026-12-03T10:00:00.000Z' }));
        expect(recent.map((r) => r.key)).toEqual(['E3']);
        expect(await keysIn(store, fiB, ['E1'])).toEqual(['E1']);
        const window = await drain(
          store.forget({ since: '2026-12-02T00:00:00.000Z', before: '2026-12-03T00:00:00.000Z' }),
        );
        expect(window.map((r) => `${r.connector}/${r.scope}/${r.key}`).sort()).toEqual([
          'FiEntries/inkoop/E1',
          'FiEntries/memoriaal/E2',
          'KnPerson/persons-sync/E1',
        ]);
      }),
  },
  {
    name: 'forget with dryRun lists the same records and removes none',
    run: (harness) =>
      withStore(harness, async (store) => {
        await seed(store);
        const listed = await drain(store.forget({ environment: ENV_A }, { dryRun: true }));
        expect(listed).toHaveLength(6);
        expect(await keysIn(store, fiA, ['E1', 'E2', 'E3'])).toEqual(['E1', 'E2', 'E3']);
        expect(await keysIn(store, personsA, ['P1', 'E1'])).toEqual(['P1', 'E1']);
        const removed = await drain(store.forget({ environment: ENV_A }));
        expect(removed.map((r) => `${r.connector}/${r.scope}/${r.key}`).sort()).toEqual(
          listed.map((r) => `${r.connector}/${r.scope}/${r.key}`).sort(),
        );
        expect(await keysIn(store, fiA, ['E1', 'E2', 'E3'])).toEqual([]);
        expect(await keysIn(store, fiB, ['E1'])).toEqual(['E1']);
      }),
  },
  {
    name: 'many keys: 20000 records put in chunks are all read back, and forgotten by scope',
    run: (harness) =>
      withStore(harness, async (store) => {
        const keys = Array.from({ length: 20_000 }, (_, i) => `K${String(i).padStart(6, '0')}`);
        for (let i = 0; i < keys.length; i += 2000) {
          await store.put(
            fiA,
            keys.slice(i, i + 2000).map((key) => deliveryRecord(key)),
          );
        }
        await store.put(fiOther, [deliveryRecord('K000001')]);
        const got = await store.get(fiA, keys);
        expect(got.filter((record, i) => record?.key !== keys[i])).toEqual([]);
        const forgotten = await drain(store.forget(fiA));
        expect(forgotten).toHaveLength(keys.length);
        expect((await store.get(fiA, keys.slice(0, 100))).filter(Boolean)).toEqual([]);
        expect(await keysIn(store, fiOther, ['K000001'])).toEqual(['K000001']);
      }),
  },
  {
    name: 'records survive close and reopen; close is idempotent',
    run: (harness) =>
      withStore(harness, async (store, swap) => {
        await seed(store);
        await store.put(fiA, [deliveryRecord('E2', { state: 'inflight' }, 2)]);
        await store.close();
        await store.close();
        const reopened = await harness.reopen(store);
        expect(await reopened.get(fiA, ['E1', 'E2'])).toStrictEqual([
          deliveryRecord('E1', {}, 1),
          deliveryRecord('E2', { state: 'inflight' }, 2),
        ]);
        await drain(reopened.forget({ scope: 'persons-sync' }));
        await reopened.close();
        const again = await harness.reopen(reopened);
        expect(await keysIn(again, personsA, ['P1', 'E1'])).toEqual([]);
        swap(again);
      }),
  },
  {
    name: 'two processes writing at once: every record of both lands',
    run: async (harness) => {
      if (!harness.otherProcess) return;
      const otherProcess = harness.otherProcess.bind(harness);
      await withStore(harness, async (store) => {
        const mine = Array.from({ length: 2000 }, (_, i) => deliveryRecord(`M${i}`));
        const theirs = Array.from({ length: 2000 }, (_, i) => deliveryRecord(`T${i}`, { runId: 'other' }));
        const other = otherProcess(store, fiA, theirs);
        for (let i = 0; i < mine.length; i += 50) await store.put(fiA, mine.slice(i, i + 50));
        await other;
        const got = await store.get(
          fiA,
          [...mine, ...theirs].map((r) => r.key),
        );
        expect(got.filter((record) => record === undefined)).toHaveLength(0);
        expect(got.at(-1)?.runId).toBe('other');
      });
    },
  },
];

/** Registers the whole contract as tests for one implementation. */
export function deliveryStoreConformance(name: string, harness: () => DeliveryStoreHarness): void {
  describe(`DeliveryStore conformance: ${name}`, () => {
    for (const check of deliveryStoreChecks) it(check.name, () => check.run(harness()), 60_000);
  });
}
