import { type DeliveryMode, environmentIdentity, type Job } from '@koppel/core';

/** A job's delivery identity and mode, as a RunSpec carries it. */
export interface JobDelivery {
  environment: string;
  connector: string;
  scope: string;
  mode: DeliveryMode;
}

/** Field names that make a POST an upsert (Profit matches an existing record first). */
const MATCH_FIELDS = ['MatchPer', 'MatchOga', 'MatchEmp'];

/**
 * The default mode by what the connector call does: `changed` for updates (PUT) and for inserts
 * that match first (KnPerson with MatchPer, KnOrganisation with MatchOga: an upsert, sent again
 * when the payload changed); `once` for everything else (an insert such as FiEntries books twice
 * when posted twice; a delete happens once).
 */
export function defaultDeliveryMode(job: Pick<Job, 'target'>): DeliveryMode {
  const target = job.target as { method?: string; element?: { fields?: Record<string, unknown> } };
  if (target.method === 'update') return 'changed';
  const fields = Object.keys(target.element?.fields ?? {});
  return fields.some((name) => MATCH_FIELDS.includes(name)) ? 'changed' : 'once';
}

/** The delivery identity of a job against a connection: environment, connector, scope, mode. */
export function jobDelivery(job: Pick<Job, 'name' | 'target' | 'delivery'>, baseUrl: string): JobDelivery {
  return {
    environment: environmentIdentity(baseUrl),
    connector: job.target.update_connector,
    scope: job.delivery?.scope || job.name,
    mode: job.delivery?.mode && job.delivery.mode !== 'auto' ? job.delivery.mode : defaultDeliveryMode(job),
  };
}
