import {
  type ControlTotal,
  ControlTotals,
  type MappedItem,
  type PipelineDocument,
  type PipelineEvent,
  type PipelineListener,
} from '@koppel/core';

/** Uncertain documents whose elements are kept for the control totals (beyond: totals not checked). */
const UNCERTAIN_ELEMENTS = 100_000;

/** Window of the recent rate (progress and ETA), in ms. */
export const RATE_WINDOW_MS = 30_000;

/**
 * Where a run stands now, for a progress bar or line (`koppel run`) and `koppel status` (BullMQ):
 * plain figures, rendered by the CLI.
 */
export interface ProgressFigures {
  /** Settled or skipped so far, in `unit`. */
  done: number;
  /** Expected in all (the pre-flight's count); undefined when unknown (a GetConnector source). */
  total?: number;
  /** What the counts count: source records (input lines/rows; `koppel run`) or documents (ledger keys; BullMQ). */
  unit: 'source records' | 'documents';
  /** Settled per second over the last `windowMs` (or since the start, when shorter). */
  rate: number;
  windowMs: number;
  /** Of `done`: rejected, and uncertain (sent, no answer yet). */
  rejected: number;
  uncertain: number;
  /** Keys waiting for a retry now. */
  retrying: number;
  /** Retries so far, and why the last one was needed. */
  retries: number;
  retryReason?: string;
  /** 503 pauses so far (each paused the whole environment). */
  pauses: number;
  /** Ms left of the 503 pause the run is in now; undefined when not paused. */
  pausedMs?: number;
  /** A request hanging now (describeStalled of @koppel/afas), shown instead of a stale ETA. */
  stalled?: string;
  /** Ms since the session started. */
  elapsedMs: number;
}

/**
 * Ms left at the recent rate, after the 503 pause the run is in now; 0 when everything is done,
 * undefined without a total or a rate (the dashboard's ETA; the CLI's progress has the same rule).
 */
export function etaMs(figures: ProgressFigures): number | undefined {
  if (figures.total === undefined) return undefined;
  const left = figures.total - figures.done;
  if (left <= 0) return 0;
  return figures.rate > 0 ? (left / figures.rate) * 1000 + (figures.pausedMs ?? 0) : undefined;
}

/**
 * Counts per second over a sliding window: what a progress bar shows as the rate, so a 503
 * pause shows at once (the rate falls) instead of lagging like a whole-run average.
 */
export class RecentRate {
  readonly windowMs: number;
  readonly #startedAt: number;
  /** [second, count] pairs, oldest first. */
  readonly #buckets: [number, number][] = [];

  constructor(options: { windowMs?: number; startedAt?: number } = {}) {
    this.windowMs = options.windowMs ?? RATE_WINDOW_MS;
    this.#startedAt = options.startedAt ?? Date.now();
  }

  add(count: number, at = Date.now()): void {
    const second = Math.floor(at / 1000);
    const last = this.#buckets.at(-1);
    if (last && last[0] === second) last[1] += count;
    else if (last && last[0] > second) {
      const bucket = this.#buckets.find((b) => b[0] === second);
      if (bucket) bucket[1] += count;
      else {
        this.#buckets.push([second, count]);
        this.#buckets.sort((a, b) => a[0] - b[0]);
      }
    } else this.#buckets.push([second, count]);
    this.#trim(at);
  }

  /** Per second over the window (or since the start, at least 1 s, when that is shorter). */
  rate(now = Date.now()): number {
    this.#trim(now);
    const from = now - this.windowMs;
    let sum = 0;
    for (const [second, count] of this.#buckets) if ((second + 1) * 1000 > from) sum += count;
    const span = Math.max(1000, Math.min(this.windowMs, now - this.#startedAt));
    return sum / (span / 1000);
  }

  #trim(now: number): void {
    const oldest = Math.floor((now - this.windowMs) / 1000);
    while (this.#buckets.length > 0 && (this.#buckets[0]?.[0] ?? 0) < oldest) this.#buckets.shift();
  }
}

/** The first line of an error message, at most 80 characters (a progress line's reason). */
const shortReason = (message: string): string => {
  const line = message.split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
};

/** Control totals of one session, per category (FiEntries; empty lists for other connectors). */
export interface SessionTotals {
  /** Documents read from the source (every mapped document; mapping rejects built none). */
  read: ControlTotal[];
  /** Done: sent (or found by a lookup) in this session, or done in an earlier one (skipped). */
  done: ControlTotal[];
  /** Rejected: by AFAS in this session, or rejected in an earlier one (skipped). */
  rejected: ControlTotal[];
  /** Skipped as delivered by an earlier run (delivery store). */
  delivered: ControlTotal[];
  /** Still uncertain at the end of the session. */
  uncertain: ControlTotal[];
  /** False when more uncertain documents than could be kept: `uncertain` is then incomplete. */
  complete: boolean;
}

/** Counters of one session (one invocation) of a run, fed by pipeline events. */
export class RunStats {
  readonly startedAt = Date.now();
  /** True once `countRead` wrapped the session's input: `read` and the identity are measured. */
  readMeasured = false;
  /** Items read from the mapping (documents plus mapping rejects), in ledger keys. */
  read = 0;
  /** Source records (input lines/rows) behind the items read; differs from `read` when documents group records. */
  sourceRecords = 0;
  /** Done in this session: sent and answered, or found by a lookup. */
  done = 0;
  /** Every rejected record of this session (`rejectedBeforeSending` + `rejectedByAfas`). */
  rejected = 0;
  /** Rejected by the mapping (bad date, unknown code, duplicate key, unbalanced document): never sent. */
  rejectedBeforeSending = 0;
  /** Rejected by AFAS (or given up after the retry budget). */
  rejectedByAfas = 0;
  /** Records uncertain at the end of this session (held from before, or a lost answer now). */
  uncertain = 0;
  /** Records skipped because an earlier session settled them (done or rejected), or delivered. */
  skipped = 0;
  /** Of `skipped`: skipped as delivered by an earlier run (delivery store). */
  skippedDelivered = 0;
  requests = 0;
  failedRequests = 0;
  retries = 0;
  /** 503 waits (each paused the environment). */
  waits = 0;
  bisections = 0;
  /** Keys currently waiting for a retry. */
  readonly retrying = new Set<string>();
  /** Source records behind the keys settled or skipped in this session (each key once): progress. */
  processedRecords = 0;
  /** Of `processedRecords`: rejected, and uncertain now. */
  rejectedRecords = 0;
  uncertainRecords = 0;
  readonly #uncertainRecords = new Map<string, number>();
  /** Source records settled per second, recently (not skips: they take no time). */
  readonly recent = new RecentRate({ startedAt: this.startedAt });
  /** `Date.now()` until which the environment is paused after a 503. */
  pausedUntil = 0;
  /** Why the last retry was needed (AFAS's message, first line). */
  lastRetryReason: string | undefined;
  /** Source records of mapping rejects read and not yet settled (their events carry no documents). */
  readonly #rejectRecords = new Map<string, number>();
  /** Keys uncertain now (a later lookup or resend in this session settles them). */
  readonly #uncertain = new Map<string, PipelineDocument | undefined>();
  #uncertainComplete = true;
  readonly #readTotals = new ControlTotals();
  readonly #doneTotals = new ControlTotals();
  readonly #rejectedTotals = new ControlTotals();
  readonly #deliveredTotals = new ControlTotals();

  readonly listener: PipelineListener = (event: PipelineEvent) => {
    switch (event.type) {
      case 'settled': {
        const documents = new Map((event.documents ?? []).map((doc) => [doc.key, doc]));
        let records = 0;
        for (const key of event.keys) {
          this.retrying.delete(key);
          const doc = documents.get(key);
          if (event.state === 'uncertain') {
            // Progress counts it now; a later lookup or resend that settles it does not again.
            if (!this.#uncertain.has(key)) records += this.#holdRecords(key, doc);
            this.#markUncertain(key, doc);
            continue;
          }
          // A record uncertain earlier in this session that a lookup or resend settled now.
          const held = this.#releaseRecords(key);
          const n = this.#settleUncertain(key) ? (held ?? 1) : this.#recordsOf(key, doc);
          if (held === undefined) records += n;
          if (event.state === 'rejected') this.rejectedRecords += n;
          if (event.state === 'done') {
            this.done++;
            if (doc) this.#doneTotals.add(doc.element);
          } else {
            this.rejected++;
            if (event.sent) this.rejectedByAfas++;
            else this.rejectedBeforeSending++;
            if (doc) this.#rejectedTotals.add(doc.element);
          }
        }
        this.processedRecords += records;
        this.recent.add(records);
        break;
      }
      case 'skipped': {
        const documents = new Map((event.documents ?? []).map((doc) => [doc.key, doc]));
        for (const key of event.keys) {
          const doc = documents.get(key);
          if (event.state === 'uncertain' || event.state === 'inflight') {
            // Held: uncertain from an earlier session, no lookup and no resend.
            if (!this.#uncertain.has(key)) this.processedRecords += this.#holdRecords(key, doc);
            this.#markUncertain(key, doc);
            continue;
          }
          this.processedRecords += this.#recordsOf(key, doc);
          this.skipped++;
          if (event.state === 'delivered') this.skippedDelivered++;
          if (!doc) continue;
          if (event.state === 'done') this.#doneTotals.add(doc.element);
          else if (event.state === 'rejected') this.#rejectedTotals.add(doc.element);
          else if (event.state === 'delivered') this.#deliveredTotals.add(doc.element);
        }
        break;
      }
      case 'retry':
        this.retries++;
        this.lastRetryReason = shortReason(event.error);
        for (const key of event.keys) this.retrying.add(key);
        break;
      case 'wait':
        this.waits++;
        this.pausedUntil = Math.max(this.pausedUntil, Date.now() + event.delayMs);
        break;
      case 'bisect':
        this.bisections++;
        break;
      case 'request':
        this.requests++;
        if (!event.ok) this.failedRequests++;
        break;
    }
  };

  #markUncertain(key: string, doc: PipelineDocument | undefined): void {
    if (this.#uncertain.has(key)) return;
    if (this.#uncertain.size >= UNCERTAIN_ELEMENTS) {
      // Counted, but its element is not kept: the uncertain control totals are incomplete.
      this.#uncertainComplete = false;
      this.#uncertain.set(key, undefined);
    } else this.#uncertain.set(key, doc);
    this.uncertain++;
  }

  /** Settles a key uncertain earlier in this session; false when it was not. */
  #settleUncertain(key: string): boolean {
    if (!this.#uncertain.delete(key)) return false;
    this.uncertain--;
    return true;
  }

  /** Counts an uncertain key's source records as uncertain (progress); returns them. */
  #holdRecords(key: string, doc: PipelineDocument | undefined): number {
    const n = this.#recordsOf(key, doc);
    this.#uncertainRecords.set(key, n);
    this.uncertainRecords += n;
    return n;
  }

  /** The source records of a key uncertain earlier in this session, no longer counted as uncertain. */
  #releaseRecords(key: string): number | undefined {
    const n = this.#uncertainRecords.get(key);
    if (n === undefined) return undefined;
    this.#uncertainRecords.delete(key);
    this.uncertainRecords -= n;
    return n;
  }

  /** Source records behind a key: its document's, a mapping reject's (from `countRead`), else 1. */
  #recordsOf(key: string, doc: PipelineDocument | undefined): number {
    if (doc) return doc.records.length;
    const records = this.#rejectRecords.get(key);
    if (records === undefined) return 1;
    this.#rejectRecords.delete(key);
    return records;
  }

  /**
   * Wraps the session's mapped input so every item read is counted (documents and mapping
   * rejects, their source records and the read control totals): the left side of the identity.
   */
  countRead(items: AsyncIterable<MappedItem>): AsyncIterable<MappedItem> {
    this.readMeasured = true;
    const stats = this;
    return {
      async *[Symbol.asyncIterator]() {
        for await (const item of items) {
          stats.read++;
          if ('reject' in item) {
            stats.sourceRecords += item.reject.records.length;
            stats.#rejectRecords.set(item.reject.key, item.reject.records.length);
          } else {
            stats.sourceRecords += item.document.records.length;
            stats.#readTotals.add(item.document.element);
          }
          yield item;
        }
      },
    };
  }

  /** Records settled in this session per second of wall time. */
  rate(now = Date.now()): number {
    const seconds = (now - this.startedAt) / 1000;
    return seconds > 0 ? (this.done + this.rejected) / seconds : 0;
  }

  /** Progress now, in source records; `total` and `stalled` come from the run's spec. */
  progress(options: { total?: number; stalled?: string; now?: number } = {}): ProgressFigures {
    const now = options.now ?? Date.now();
    return {
      done: this.processedRecords,
      ...(options.total !== undefined ? { total: options.total } : {}),
      unit: 'source records',
      rate: this.recent.rate(now),
      windowMs: this.recent.windowMs,
      rejected: this.rejectedRecords,
      uncertain: this.uncertainRecords,
      retrying: this.retrying.size,
      retries: this.retries,
      ...(this.lastRetryReason !== undefined ? { retryReason: this.lastRetryReason } : {}),
      pauses: this.waits,
      ...(this.pausedUntil > now ? { pausedMs: this.pausedUntil - now } : {}),
      ...(options.stalled !== undefined ? { stalled: options.stalled } : {}),
      elapsedMs: now - this.startedAt,
    };
  }

  /** FiEntries control totals of documents that are done / rejected (this session and earlier ones). */
  controlTotals(): { done: ControlTotal[]; rejected: ControlTotal[] } {
    return { done: this.#doneTotals.list(), rejected: this.#rejectedTotals.list() };
  }

  /** Every category's control totals, for the per-group identity. */
  sessionTotals(): SessionTotals {
    const uncertain = new ControlTotals();
    for (const doc of this.#uncertain.values()) if (doc) uncertain.add(doc.element);
    return {
      read: this.#readTotals.list(),
      ...this.controlTotals(),
      delivered: this.#deliveredTotals.list(),
      uncertain: uncertain.list(),
      complete: this.#uncertainComplete,
    };
  }

  /** Elements of the documents uncertain at the end of this session, by key (for uncertain.jsonl). */
  uncertainDocuments(): ReadonlyMap<string, PipelineDocument | undefined> {
    return this.#uncertain;
  }
}
