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
        for (const key of event.keys) {
          this.retrying.delete(key);
          const doc = documents.get(key);
          if (event.state === 'uncertain') {
            this.#markUncertain(key, doc);
            continue;
          }
          // A record uncertain earlier in this session that a lookup or resend settled now.
          this.#settleUncertain(key);
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
        break;
      }
      case 'skipped': {
        const documents = new Map((event.documents ?? []).map((doc) => [doc.key, doc]));
        for (const key of event.keys) {
          const doc = documents.get(key);
          if (event.state === 'uncertain' || event.state === 'inflight') {
            // Held: uncertain from an earlier session, no lookup and no resend.
            this.#markUncertain(key, doc);
            continue;
          }
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
        for (const key of event.keys) this.retrying.add(key);
        break;
      case 'wait':
        this.waits++;
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

  #settleUncertain(key: string): void {
    if (this.#uncertain.delete(key)) this.uncertain--;
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
          if ('reject' in item) stats.sourceRecords += item.reject.records.length;
          else {
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
