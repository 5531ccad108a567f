import type { SourceRecord } from '../record.js';

/**
 * Where a record stands. `pending` is implicit (no entry yet); `inflight` is written durably
 * before a request is sent; an `inflight` found when a ledger is opened becomes `uncertain`.
 */
export type RecordState = 'pending' | 'inflight' | 'done' | 'rejected' | 'uncertain';

/** A source record kept with a rejected entry so the rejects file can be rebuilt from the ledger. */
export type LedgerSourceRecord = SourceRecord;

/** The ledger's view of one record (one document key). */
export interface LedgerEntry {
  key: string;
  state: RecordState;
  /** Requests that carried this record so far, over every resume. */
  attempts: number;
  /** Keys AFAS returned for a `done` record (e.g. `{ EnNo: "54605", UnId: "1" }`). */
  result?: Readonly<Record<string, string>>;
  /** Why the record was rejected or is uncertain. */
  error?: string;
  /** Profit's environment-log reference of the error, when it gave one. */
  profitLogReference?: string;
  /** The source records of a rejected entry. */
  records?: readonly LedgerSourceRecord[];
  /** ISO time of the last change. */
  at?: string;
  /**
   * ISO time the request carrying this record was sent (`inflight`, `uncertain`): a lookup after
   * a crash or a lost answer is made no earlier than this plus `verify.delay`. The `inflight`
   * entry carries the latest time the request may go out without another write (its own time plus
   * a second); a request whose slot comes later writes its send time durably just before it goes out.
   */
  sentAt?: string;
  /** Session (1-based invocation of the run) whose request settled or last carried the record. */
  session?: number;
  /** Number of that request within its session (1-based, counting every attempt). */
  request?: number;
  /** Index of the record's Element in that request (0-based). */
  element?: number;
  /**
   * What `result` is: the record's own keys (`element`), the keys AFAS returned once for the
   * whole multi-element request (`request`: kept in `requestResult`), keys found by the
   * `verify:` lookup (`lookup`), or nothing returned (`none`).
   */
  resultScope?: ResultScope;
  /** AFAS's one answer to a multi-element request that carried this record (`resultScope` `request`/`lookup`). */
  requestResult?: Readonly<Record<string, string>>;
  /** The Element that was sent, kept on an `uncertain` entry for `uncertain.jsonl`. */
  sent?: unknown;
}

/** See LedgerEntry.resultScope. */
export type ResultScope = 'element' | 'request' | 'lookup' | 'none';

/**
 * Durable per-record state of one run. Implementations: a local append-only file (runner),
 * Redis (BullMQ executor). Keep it tiny: two required methods, the rest optional.
 */
export interface Ledger {
  /** Entries for `keys` in the same order; undefined for a record never seen (pending). */
  get(keys: readonly string[]): Promise<(LedgerEntry | undefined)[]>;
  /** Stores entries (each replaces the previous one of its key); resolves once they are durable. */
  write(entries: readonly LedgerEntry[]): Promise<void>;
  /** Every entry, in no particular order (reports, rejects, results); with `states`, it may leave out entries in other states. */
  entries?(states?: readonly RecordState[]): AsyncIterable<LedgerEntry>;
  /** Flushes and releases the store; idempotent. */
  close?(): Promise<void>;
}
