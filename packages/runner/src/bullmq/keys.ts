/**
 * Every Redis key Koppel uses, under one deployment prefix. BullMQ's queues live under
 * `<prefix>:q`, Koppel's own keys under `<prefix>:k`, so one SCAN of `<prefix>:*` finds them all.
 */
export class KoppelKeys {
  readonly prefix: string;
  /** BullMQ's `prefix` option. */
  readonly bull: string;

  constructor(prefix: string) {
    this.prefix = prefix;
    this.bull = `${prefix}:q`;
  }

  #k(...parts: string[]): string {
    return [this.prefix, 'k', ...parts].join(':');
  }

  /** Hash: record key -> ledger entry (JSON). */
  ledger(runId: string): string {
    return this.#k('ledger', runId);
  }
  /** Sorted set: record key -> its place in the input (results are written in this order). */
  order(runId: string): string {
    return this.#k('order', runId);
  }
  /** Hash: state -> count of the run's ledger. */
  counts(runId: string): string {
    return this.#k('counts', runId);
  }
  /** String: the run's meta (JSON). */
  run(runId: string): string {
    return this.#k('run', runId);
  }
  /** Sorted set: run ids by creation time. */
  runs(): string {
    return this.#k('runs');
  }
  /** String: why the run stopped (JSON `{ name, message }`), set by the first fatal error. */
  stop(runId: string): string {
    return this.#k('stop', runId);
  }
  /** Semaphore of an AFAS environment: holders, queue, last-seen of waiters, ticket counter. */
  gate(environment: string): {
    holders: string;
    queue: string;
    seen: string;
    tickets: string;
    pause: string;
  } {
    const base = this.#k('gate', environment);
    return {
      holders: `${base}:holders`,
      queue: `${base}:queue`,
      seen: `${base}:seen`,
      tickets: `${base}:tickets`,
      pause: `${base}:pause`,
    };
  }
  /**
   * Delivery records of one environment + connector + scope (`id`, a hash of the three): a hash
   * of record key -> record, and a string naming the scope. Both carry the hash tag `{id}`, so a
   * script touching the two runs on one Redis Cluster slot.
   */
  delivery(id: string): { records: string; scope: string } {
    const base = this.#k('delivery', `{${id}}`);
    return { records: `${base}:records`, scope: `${base}:scope` };
  }
  /** Set: ids of every delivery scope that has records (forget walks it). */
  deliveryScopes(): string {
    return this.#k('delivery-scopes');
  }
  /** String with TTL: the run id a scheduled job is running now. */
  jobLock(jobName: string): string {
    return this.#k('lock', jobName);
  }
  /** The BullMQ lock key of a job (its worker token while active). */
  jobLockOf(queue: string, jobId: string): string {
    return `${this.bull}:${queue}:${jobId}:lock`;
  }
}
