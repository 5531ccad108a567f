import { createHash } from 'node:crypto';

/**
 * Delivery identity: what was delivered to which AFAS environment, across runs, folders and
 * machines. A run's own ledger (`Ledger`) tracks one run and its resumes; a `DeliveryStore`
 * remembers, per environment + UpdateConnector + delivery scope + record key, the last payload
 * sent (its hash) and how that send ended. It decides what a new run sends again.
 */

/**
 * What "already delivered" means for a job:
 * - `once`: a key is delivered at most once per environment, connector and scope (inserts such
 *   as FiEntries, where a second post books twice).
 * - `changed`: a key is sent again when its mapped payload differs from the last one delivered
 *   (updates and upserts such as KnPerson with MatchPer).
 * - `run`: de-duplicated only within one run and its resumes.
 */
export type DeliveryMode = 'once' | 'changed' | 'run';

/** The identity a delivery belongs to. Never holds a token. */
export interface DeliveryScope {
  /** The AFAS environment: its base URL and environment id, e.g. `https://12345.rest.afas.online/ProfitRestServices#12345`. */
  environment: string;
  /** The UpdateConnector, e.g. `FiEntries`. */
  connector: string;
  /** The delivery scope: the job's `name:` unless the job names a shared `delivery.scope`. */
  scope: string;
}

/**
 * How the last send of a key ended: `inflight` is written before the request goes out (with
 * `sentAt`); `delivered` after a well-formed AFAS answer; `uncertain` when the answer was lost
 * and no lookup settled it. An `inflight` or `uncertain` record is never sent again blindly.
 */
export type DeliveryState = 'inflight' | 'delivered' | 'uncertain';

/** One key's delivery record. */
export interface DeliveryRecord {
  key: string;
  state: DeliveryState;
  /** sha256 (hex) of the canonical JSON of the element sent for this key. */
  payloadHash: string;
  /** ISO time the request carrying it was sent. */
  sentAt: string;
  /** ISO time it was settled (delivered or uncertain). */
  settledAt?: string;
  /** The run that sent it. */
  runId: string;
  /** Keys AFAS returned for it (e.g. `{ EnNo: "54605" }`). */
  result?: Readonly<Record<string, string>>;
}

/** Which delivery records `forget` removes; every given condition must hold. */
export interface ForgetFilter {
  /** Only this environment (exact), or every environment when left out. */
  environment?: string;
  connector?: string;
  scope?: string;
  /** Only these keys. */
  keys?: readonly string[];
  /** Only records sent before this ISO time. */
  before?: string;
  /** Only records sent at or after this ISO time. */
  since?: string;
}

/** A forgotten (or, with dryRun, forgettable) record with its scope. */
export interface ForgottenRecord extends DeliveryRecord {
  environment: string;
  connector: string;
  scope: string;
}

/**
 * Durable cross-run delivery state. Implementations: an embedded store in the per-user state
 * directory (runner), Redis (BullMQ). One conformance suite holds every implementation to this.
 */
export interface DeliveryStore {
  /** Records of `keys` in `scope`, in the same order; undefined for a key never sent. */
  get(scope: DeliveryScope, keys: readonly string[]): Promise<(DeliveryRecord | undefined)[]>;
  /** Stores records (each replaces the previous one of its key); resolves once they are durable. */
  put(scope: DeliveryScope, records: readonly DeliveryRecord[]): Promise<void>;
  /** Removes the records matching `filter` (or only lists them with `dryRun`), yielding each. */
  forget(filter: ForgetFilter, options?: { dryRun?: boolean }): AsyncIterable<ForgottenRecord>;
  /** Releases the store; idempotent. */
  close(): Promise<void>;
}

/**
 * Canonical JSON of a payload element: object keys sorted, no whitespace, `undefined` members
 * left out (as JSON.stringify does), so two equal elements always give the same text.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  const members = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${members.join(',')}}`;
}

/** sha256 (hex) of the canonical JSON of a payload element: `DeliveryRecord.payloadHash`. */
export function payloadHash(element: unknown): string {
  return createHash('sha256').update(canonicalJson(element)).digest('hex');
}

/**
 * The identity of an AFAS environment for delivery records: the base URL (lower-case scheme and
 * host, no trailing slash, no query) and the environment id, e.g.
 * `https://12345.rest.afas.online/ProfitRestServices#12345`. Never the token.
 */
export function environmentIdentity(baseUrl: string, environmentId?: string | number): string {
  let url = baseUrl.trim();
  try {
    const parsed = new URL(url);
    url = `${parsed.protocol}//${parsed.host}${parsed.pathname}`.toLowerCase();
  } catch {
    url = url.toLowerCase();
  }
  url = url.replace(/\/+$/, '');
  // `https://12345.rest.afas.online/...` (resttest, restaccept too), or `.../12345/ProfitRestServices`.
  const id =
    environmentId ??
    /^https?:\/\/(\d+)\.rest[a-z]*\./.exec(url)?.[1] ??
    /\/(\d+)\/profitrestservices$/.exec(url)?.[1];
  return id === undefined || id === '' ? url : `${url}#${id}`;
}

/** What a run decides for one key from its delivery record (`koppel plan` shows the same). */
export type DeliveryVerdict =
  /** Never delivered (or forgotten): sent. */
  | 'send'
  /** Delivered before (mode `once`, or `changed` with the same payload): skipped as delivered. */
  | 'skip'
  /** Delivered before with another payload (mode `changed`): sent because it changed. */
  | 'changed'
  /** Sent before without a settled answer (`inflight` / `uncertain`): looked up, never resent blindly. */
  | 'uncertain';

/** The verdict for a key in `mode`, from its record and the hash of the payload it would send now. */
export function deliveryVerdict(
  mode: DeliveryMode,
  record: DeliveryRecord | undefined,
  hash: string,
): DeliveryVerdict {
  if (mode === 'run' || record === undefined) return 'send';
  if (record.state !== 'delivered') return 'uncertain';
  if (mode === 'once' || record.payloadHash === hash) return 'skip';
  return 'changed';
}

/** The delivery side of a run: where its records go and how they decide what is sent. */
export interface RunDelivery {
  store: DeliveryStore;
  scope: DeliveryScope;
  mode: DeliveryMode;
  /** The run writing the records. */
  runId: string;
}
