import type {
  DeliveryRecord,
  DeliveryScope,
  DeliveryStore,
  ForgetFilter,
  ForgottenRecord,
} from '@koppel/core';

/**
 * `koppel run` beside a BullMQ deployment: the local store and the deployment's Redis store read
 * as one (a key either has is known; when both have it, the later send wins) and written together,
 * so a run on either executor never sends again what the other delivered. Closing it leaves both
 * stores to their owners.
 */
export function layeredDeliveryStore(local: DeliveryStore, shared: DeliveryStore): DeliveryStore {
  return {
    async get(scope: DeliveryScope, keys: readonly string[]) {
      const [mine, theirs] = await Promise.all([local.get(scope, keys), shared.get(scope, keys)]);
      return keys.map((_, i) => latest(mine[i], theirs[i]));
    },
    async put(scope: DeliveryScope, records: readonly DeliveryRecord[]) {
      await Promise.all([local.put(scope, records), shared.put(scope, records)]);
    },
    async *forget(filter: ForgetFilter, options?: { dryRun?: boolean }): AsyncIterable<ForgottenRecord> {
      yield* local.forget(filter, options);
      yield* shared.forget(filter, options);
    },
    async close() {},
  };
}

function latest(a: DeliveryRecord | undefined, b: DeliveryRecord | undefined): DeliveryRecord | undefined {
  if (!a || !b) return a ?? b;
  return Date.parse(b.sentAt) > Date.parse(a.sentAt) ? b : a;
}
