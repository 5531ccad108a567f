import {
  type DeliveryRecord,
  type DeliveryVerdict,
  deliveryVerdict,
  type LoadedJob,
  type PlanEntry,
  payloadHash,
} from '@koppel/core';
import { type JobDelivery, jobDelivery, LmdbDeliveryStore, resolveStateDir } from '@koppel/runner';

/** What `koppel plan` says per record: sent, skipped as delivered, sent because it changed, or looked up. */
export interface PlanDelivery {
  readonly delivery: JobDelivery;
  readonly path: string;
  /** Verdicts for the keys of one planned request, in order; counted. */
  verdicts(
    entry: Extract<PlanEntry, { request: unknown }>,
  ): Promise<{ key: string; verdict: DeliveryVerdict; record?: DeliveryRecord }[]>;
  /** One line: counts per verdict. */
  summary(): string;
  close(): Promise<void>;
}

/** Words for a verdict, as plan prints them. */
export const VERDICT_TEXT: Record<DeliveryVerdict, string> = {
  send: 'send',
  skip: 'skipped as delivered',
  changed: 'send (changed since delivered)',
  uncertain: 'look up (sent before, outcome unknown)',
};

/**
 * Opens the job's delivery store read-only (the state directory a run would use); undefined when
 * the job has no resolved connection (`--sim`: the embedded simulator is another environment).
 */
export async function openPlanDelivery(
  loaded: LoadedJob,
  stateDirFlag: string | undefined,
): Promise<PlanDelivery | undefined> {
  const url = loaded.connection?.baseUrl;
  if (!url) return undefined;
  const delivery = jobDelivery(loaded.job, url);
  const stateDir = resolveStateDir({ flag: stateDirFlag, job: loaded.job.state_dir, jobDir: loaded.dir }).dir;
  const store = await LmdbDeliveryStore.open(stateDir, { readOnly: true });
  const counts: Record<DeliveryVerdict, number> = { send: 0, skip: 0, changed: 0, uncertain: 0 };
  return {
    delivery,
    path: store.path,
    async verdicts(entry) {
      const body = entry.request.body as Record<string, { Element?: unknown }> | undefined;
      const element = body ? Object.values(body)[0]?.Element : undefined;
      const elements = Array.isArray(element) && entry.keys.length > 1 ? element : [element];
      const records = await store.get(delivery, entry.keys);
      return entry.keys.map((key, i) => {
        const record = records[i];
        const verdict = deliveryVerdict(delivery.mode, record, payloadHash(elements[i] ?? null));
        counts[verdict]++;
        return { key, verdict, ...(record ? { record } : {}) };
      });
    },
    summary: () =>
      `plan: delivery (${delivery.scope}, ${delivery.connector}, mode ${delivery.mode}): ${counts.send} to send, ${counts.changed} changed, ${counts.skip} skipped as delivered${counts.uncertain ? `, ${counts.uncertain} to look up` : ''}`,
    close: () => store.close(),
  };
}
