import { type ControlTotal, ControlTotals, type PipelineEvent, type PipelineListener } from '@koppel/core';

/** Counters of one session (one invocation) of a run, fed by pipeline events. */
export class RunStats {
  readonly startedAt = Date.now();
  done = 0;
  rejected = 0;
  uncertain = 0;
  /** Records skipped because an earlier session settled them. */
  skipped = 0;
  requests = 0;
  failedRequests = 0;
  retries = 0;
  /** 503 waits (each paused the environment). */
  waits = 0;
  bisections = 0;
  /** Keys currently waiting for a retry. */
  readonly retrying = new Set<string>();
  readonly #doneTotals = new ControlTotals();
  readonly #rejectedTotals = new ControlTotals();

  readonly listener: PipelineListener = (event: PipelineEvent) => {
    switch (event.type) {
      case 'settled':
        for (const key of event.keys) this.retrying.delete(key);
        if (event.state === 'done') this.done += event.keys.length;
        else if (event.state === 'rejected') this.rejected += event.keys.length;
        else this.uncertain += event.keys.length;
        for (const doc of event.documents ?? []) {
          if (event.state === 'done') this.#doneTotals.add(doc.element);
          if (event.state === 'rejected') this.#rejectedTotals.add(doc.element);
        }
        break;
      case 'skipped':
        this.skipped += event.keys.length;
        for (const doc of event.documents ?? []) {
          if (event.state === 'done') this.#doneTotals.add(doc.element);
          if (event.state === 'rejected') this.#rejectedTotals.add(doc.element);
        }
        break;
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

  /** Records settled in this session per second of wall time. */
  rate(now = Date.now()): number {
    const seconds = (now - this.startedAt) / 1000;
    return seconds > 0 ? (this.done + this.rejected) / seconds : 0;
  }

  /** FiEntries control totals of documents that are done / rejected (this session and earlier ones). */
  controlTotals(): { done: ControlTotal[]; rejected: ControlTotal[] } {
    return { done: this.#doneTotals.list(), rejected: this.#rejectedTotals.list() };
  }
}
