import { type DeliveryRecord, payloadHash, type RunDelivery } from './delivery.js';
import type { Batch, PipelineDocument } from './document.js';
import type { Ledger } from './ledger.js';

const hashes = new WeakMap<PipelineDocument, string>();

/** The payload hash of a document's element, computed once per document. */
export function documentHash(document: PipelineDocument): string {
  let hash = hashes.get(document);
  if (hash === undefined) {
    hash = payloadHash(document.element);
    hashes.set(document, hash);
  }
  return hash;
}

/**
 * What the delivery store says about a document the run ledger has no entry for (`pending`):
 * `send` (never delivered, or changed in mode `changed`), `skip` (delivered: written `done` to the
 * run ledger with AFAS's keys, so results and counts include it) or `uncertain` (an earlier send
 * never settled: written `uncertain` to the run ledger, so it takes the lookup path and is never
 * resent blindly). For a document this run has `done`: `keep` (skipped as done), or `send` when its
 * delivery record was forgotten (`koppel state forget`, a rehearsal after `koppel sim reset`).
 * `stores`: the run's delivery store and its ledger (where `skip` and `uncertain` are written).
 */
export async function deliveryDecision(
  stores: { delivery: RunDelivery; ledger: Ledger },
  document: PipelineDocument,
  state: 'pending' | 'done' = 'pending',
): Promise<'send' | 'skip' | 'uncertain' | 'keep'> {
  const { delivery, ledger } = stores;
  if (delivery.mode === 'run') return state === 'done' ? 'keep' : 'send';
  const [record] = await delivery.store.get(delivery.scope, [document.key]);
  if (state === 'done') return record ? 'keep' : 'send';
  if (!record) return 'send';
  const at = new Date().toISOString();
  if (record.state !== 'delivered') {
    await ledger.write([
      {
        key: document.key,
        state: 'uncertain',
        attempts: 0,
        error: `sent by run ${record.runId} at ${record.sentAt} without a settled answer`,
        at,
      },
    ]);
    return 'uncertain';
  }
  if (delivery.mode === 'changed' && record.payloadHash !== documentHash(document)) return 'send';
  await ledger.write([{ key: document.key, state: 'done', attempts: 0, result: record.result ?? {}, at }]);
  return 'skip';
}

/** Writes a run's delivery records around each request; a no-op without a delivery store. */
export interface DeliveryWriter {
  /** `inflight` before the request; resolves to a function that puts back the previous records (never sent, or refused). */
  sending(batch: Batch): Promise<() => Promise<void>>;
  /** `delivered` with AFAS's keys after a well-formed answer (or a lookup that found it). */
  delivered(batch: Batch, results: readonly (Readonly<Record<string, string>> | undefined)[]): Promise<void>;
  /** `uncertain` when the answer was lost. */
  uncertain(batch: Batch): Promise<void>;
}

export function deliveryWriter(delivery: RunDelivery | undefined): DeliveryWriter {
  if (!delivery) {
    const nothing = async (): Promise<void> => {};
    return { sending: async () => nothing, delivered: nothing, uncertain: nothing };
  }
  const { store, scope, runId } = delivery;
  const sentAt = new Map<string, string>();
  const record = (
    document: PipelineDocument,
    state: DeliveryRecord['state'],
    extra: Partial<DeliveryRecord> = {},
  ): DeliveryRecord => ({
    key: document.key,
    state,
    payloadHash: documentHash(document),
    sentAt: sentAt.get(document.key) ?? new Date().toISOString(),
    runId,
    ...extra,
  });
  return {
    async sending(batch) {
      const keys = batch.map((document) => document.key);
      const previous = await store.get(scope, keys);
      const at = new Date().toISOString();
      for (const key of keys) sentAt.set(key, at);
      await store.put(
        scope,
        batch.map((document) => record(document, 'inflight')),
      );
      return async () => {
        const back = previous.filter((entry): entry is DeliveryRecord => entry !== undefined);
        const never = keys.filter((_, i) => previous[i] === undefined);
        if (back.length > 0) await store.put(scope, back);
        if (never.length > 0) {
          for await (const _ of store.forget({ ...scope, keys: never })) {
            // drained: forget yields each removed record
          }
        }
        for (const key of keys) sentAt.delete(key);
      };
    },
    async delivered(batch, results) {
      const settledAt = new Date().toISOString();
      await store.put(
        scope,
        batch.map((document, i) => record(document, 'delivered', { settledAt, result: { ...results[i] } })),
      );
      for (const document of batch) sentAt.delete(document.key);
    },
    async uncertain(batch) {
      const settledAt = new Date().toISOString();
      await store.put(
        scope,
        batch.map((document) => record(document, 'uncertain', { settledAt })),
      );
    },
  };
}
