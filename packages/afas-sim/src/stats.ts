/** One counter of `stats().requests`. */
export interface RequestCount {
  environment: string;
  /** Connector id, or the endpoint (`metainfo`, `profitversion`, `oauth/token`, …). */
  connector: string;
  method: string;
  status: number;
  count: number;
}

export interface SimulatorStats {
  /** Requests by environment, connector, method and final status, in first-seen order. */
  requests: RequestCount[];
  /** Requests in flight right now and the high-water mark, per environment (`-` when none resolved). */
  inFlight: Record<string, { now: number; max: number }>;
  /** Every distinct `IntegrationId` header value seen, in first-seen order. */
  integrationIds: string[];
  /** Every request counted, including unroutable ones. */
  total: number;
}

/** Request counters, exact in-flight tracking and IntegrationIds. */
export class StatsRecorder {
  #requests = new Map<string, RequestCount>();
  #inFlight = new Map<string, { now: number; max: number }>();
  #integrationIds = new Set<string>();
  #total = 0;

  /** Counts a request as in flight; call the returned function exactly once when it is over. */
  begin(environment: string): () => void {
    this.#total++;
    let gauge = this.#inFlight.get(environment);
    if (!gauge) {
      gauge = { now: 0, max: 0 };
      this.#inFlight.set(environment, gauge);
    }
    const g = gauge;
    g.now++;
    if (g.now > g.max) g.max = g.now;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      g.now--;
    };
  }

  count(entry: Omit<RequestCount, 'count'>): void {
    const key = `${entry.environment}\u0000${entry.connector}\u0000${entry.method}\u0000${entry.status}`;
    const hit = this.#requests.get(key);
    if (hit) hit.count++;
    else this.#requests.set(key, { ...entry, count: 1 });
  }

  integrationId(value: string): void {
    this.#integrationIds.add(value);
  }

  snapshot(): SimulatorStats {
    return {
      requests: [...this.#requests.values()].map((r) => ({ ...r })),
      inFlight: Object.fromEntries([...this.#inFlight].map(([env, g]) => [env, { ...g }])),
      integrationIds: [...this.#integrationIds],
      total: this.#total,
    };
  }

  /** Clears counters and high-water marks; requests still in flight keep counting as `now`. */
  reset(): void {
    this.#requests.clear();
    this.#integrationIds.clear();
    this.#total = 0;
    for (const gauge of this.#inFlight.values()) gauge.max = gauge.now;
  }
}
